import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DURATION, DEFAULT_MODEL, MODELS } from '../../contract/capabilities/matrix.ts';
import {
  DEFAULT_KEEP_ORIGINAL_SOUND,
  DEFAULT_MOTION_CONTROL_MODEL,
  MOTION_CONTROL_MODELS,
} from '../../contract/capabilities/motion-control.ts';
import { image2videoUnits, motionControlUnits } from '../../contract/pricing/prices.ts';
import type { TaskStatus } from '../../contract/schemas/kling-task.ts';
import type { CallbackSender } from './callbacks.ts';
import { newKlingId } from './ids.ts';
import type { RenderQueue, SimRenderJob } from './render-queue.ts';
import { requestShots } from './shot-plan.ts';
import { type SimTask, snapshot, type TaskStore, type WireTask } from './task-store.ts';

/**
 * A task's life, as the real service lives it (reference §3): `submitted` for `phaseMs`, `processing`
 * for another `phaseMs` (Kling's queueing and thinking time, scaled down), then the render, then
 * `succeed` with the video — or `failed` with a `task_status_msg` when the request carried a problem Kling
 * only finds late (mask size/aspect), a `fail` fault, or the render itself broke. The same life for both
 * endpoints; only what is rendered, how long it lasts and what it costs differ (renderPlan).
 */
export interface LifecycleDeps {
  store: TaskStore;
  callbacks: CallbackSender;
  renders: RenderQueue;
  phaseMs: number;
  dataDir: string;
  callbackOnSubmit: boolean;
  log: (line: string) => void;
}

/** Kling's wording for a generation that broke on its side. */
export const RENDER_FAILED_MESSAGE =
  'Video generation failed due to an internal error, please try again later';

export class Lifecycle {
  constructor(private readonly d: LifecycleDeps) {}

  /** Starts a freshly stored task; `baseUrl` is where its video will be served. */
  start(t: SimTask, baseUrl: string): void {
    if (this.d.callbackOnSubmit) this.notify(t);
    this.after(t, this.d.phaseMs, () => {
      this.transition(t, 'processing');
      this.after(t, this.d.phaseMs, () => void this.finish(t, baseUrl));
    });
  }

  private after(t: SimTask, ms: number, fn: () => void): void {
    const signal = t.abort.signal;
    if (signal.aborted) return;
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', cancel);
      fn();
    }, ms);
    const cancel = () => clearTimeout(timer);
    signal.addEventListener('abort', cancel, { once: true });
  }

  private transition(t: SimTask, status: TaskStatus, patch: Partial<WireTask> = {}): void {
    if (t.abort.signal.aborted) return;
    Object.assign(t.wire, patch, { task_status: status, updated_at: Date.now() });
    this.d.log(
      `task ${t.wire.task_id} ${status}${t.wire.task_status_msg ? `: ${t.wire.task_status_msg}` : ''}`,
    );
    this.notify(t);
  }

  private notify(t: SimTask): void {
    if (t.callbackUrl) this.d.callbacks.send(t.callbackUrl, snapshot(t.wire));
  }

  private fail(t: SimTask, message: string): void {
    t.inputs = undefined;
    this.transition(t, 'failed', { task_status_msg: message });
  }

  private async finish(t: SimTask, baseUrl: string): Promise<void> {
    try {
      await this.render(t, baseUrl);
    } finally {
      releaseReference(t);
    }
  }

  private async render(t: SimTask, baseUrl: string): Promise<void> {
    if (t.failWith !== undefined) return this.fail(t, t.failWith);
    const videoId = newKlingId();
    const outFile = join(this.d.dataDir, `${videoId}.mp4`);
    const plan = renderPlan(t, outFile);
    t.inputs = undefined; // the queue holds what it needs; let the task record drop the buffers
    if (!plan) return this.fail(t, RENDER_FAILED_MESSAGE);
    const started = Date.now();
    try {
      await this.d.renders.run(plan.job);
    } catch (err) {
      if (t.abort.signal.aborted) return;
      this.d.log(`task ${t.wire.task_id} render failed: ${err instanceof Error ? err.message : String(err)}`);
      return this.fail(t, RENDER_FAILED_MESSAGE);
    }
    if (t.abort.signal.aborted) return;
    this.d.log(`task ${t.wire.task_id} rendered in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    t.videoFile = outFile;
    this.d.store.registerVideo(videoId, t);
    this.transition(t, 'succeed', {
      task_result: {
        videos: [{ id: videoId, url: `${baseUrl}/__sim/videos/${videoId}.mp4`, duration: plan.duration }],
      },
      final_unit_deduction: plan.units,
    });
  }
}

/** What to render for a task, and what its result will say: the video's duration and the units billed. */
interface RenderPlan {
  job: SimRenderJob;
  /** Seconds, as Kling writes them: a string with one decimal. */
  duration: string;
  units: string;
}

function renderPlan(t: SimTask, outFile: string): RenderPlan | undefined {
  const signal = t.abort.signal;
  if (t.kind === 'motion-control') {
    const inputs = t.inputs;
    if (!inputs) return undefined;
    const req = t.request;
    const model = req.model_name ?? DEFAULT_MOTION_CONTROL_MODEL;
    return {
      job: {
        kind: 'motion-control',
        image: inputs.image,
        referenceFile: inputs.referenceFile,
        durationSeconds: inputs.durationMs / 1000,
        fps: MOTION_CONTROL_MODELS[model].fps,
        quality: req.mode === 'pro' ? 'pro' : 'std',
        keepSound: (req.keep_original_sound ?? DEFAULT_KEEP_ORIGINAL_SOUND) === 'yes',
        outFile,
        signal,
      },
      // No duration is asked for: the output lasts as long as the reference, and is billed for that.
      duration: (inputs.durationMs / 1000).toFixed(1),
      units: String(motionControlUnits(model, req.mode, inputs.durationMs)),
    };
  }
  const inputs = t.inputs;
  if (!inputs?.image) return undefined;
  const req = t.request;
  const model = req.model_name ?? DEFAULT_MODEL;
  const caps = MODELS[model];
  const duration = req.duration ?? DEFAULT_DURATION;
  const seconds = Number(duration);
  const shots = requestShots(req, seconds);
  return {
    job: {
      kind: 'image2video',
      image: inputs.image,
      imageTail: inputs.imageTail,
      cameraControl: req.camera_control,
      staticMask: inputs.staticMask,
      dynamicMasks: inputs.dynamicMasks,
      fps: caps.fps,
      durationSeconds: seconds,
      // Masters take no mode and render at their (high) fixed quality.
      quality: caps.modes.length === 0 ? 'pro' : (req.mode ?? 'std'),
      ...(shots ? { shots } : {}),
      // Sound on (kling-v2-6 pro, kling-v3's native audio): a video with a track, never a silent one.
      audio: req.sound === 'on',
      outFile,
      signal,
    },
    // Kling reports a little more than asked ("5.1" for 5 s, REAL); a string, always.
    duration: (seconds + 0.1).toFixed(1),
    units: String(
      image2videoUnits({
        model,
        mode: req.mode,
        duration,
        sound: req.sound === 'on',
        voices: req.voice_list?.length,
      }),
    ),
  };
}

/** A downloaded reference lives only as long as its task: deleted once the task is final (or cancelled). */
export function releaseReference(t: SimTask): void {
  const file = t.referenceFile;
  t.referenceFile = undefined;
  if (file) rmSync(file, { force: true });
}
