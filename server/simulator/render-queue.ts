/**
 * A small queue in front of the renderer (server/simulator/render/index.ts). Each render spawns ffmpeg
 * and works sharp hard, so at most `maxParallel` run at once and the rest wait their turn; nothing here
 * blocks the event loop, so the API keeps answering meanwhile.
 */
// The types are the renderer's own (type-only import: loading this file never loads sharp or ffmpeg).
import type { RenderJob, RenderResult, TransferJob } from './render/index.ts';

export type { RenderJob, RenderResult, TransferJob };

/**
 * What the queue runs, tagged by the endpoint that asked: an image2video render or a motion transfer.
 * One queue for both, so `renderParallel` bounds ffmpeg whatever the mix.
 */
export type SimRenderJob = ({ kind: 'image2video' } & RenderJob) | ({ kind: 'motion-control' } & TransferJob);

export type RenderFn = (job: SimRenderJob) => Promise<RenderResult>;

interface Waiting {
  job: SimRenderJob;
  resolve: (r: RenderResult) => void;
  reject: (e: unknown) => void;
}

export class RenderQueue {
  private running = 0;
  private readonly waiting: Waiting[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly render: RenderFn,
    private readonly maxParallel = 2,
  ) {}

  get stats(): { running: number; queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }

  run(job: SimRenderJob): Promise<RenderResult> {
    return new Promise<RenderResult>((resolve, reject) => {
      const entry: Waiting = { job, resolve, reject };
      job.signal?.addEventListener(
        'abort',
        () => {
          // Still queued: drop it. Already running: the renderer sees the same signal and stops.
          const i = this.waiting.indexOf(entry);
          if (i >= 0) {
            this.waiting.splice(i, 1);
            reject(job.signal?.reason ?? new Error('aborted'));
          }
        },
        { once: true },
      );
      this.waiting.push(entry);
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.maxParallel && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.running++;
      const p = (async () => {
        if (next.job.signal?.aborted) throw next.job.signal.reason ?? new Error('aborted');
        return this.render(next.job);
      })();
      const tracked = p.then(next.resolve, next.reject).finally(() => {
        this.running--;
        this.inFlight.delete(tracked);
        this.pump();
      });
      this.inFlight.add(tracked);
    }
  }

  /** Resolves when every started render has settled (used on shutdown, after aborting them). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
