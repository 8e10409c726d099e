import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { type RenderJob, renderVideo } from '../../server/simulator/render/index.ts';
import { scenePng } from '../fixtures/scene.ts';
import { type RowResult, ratioRow } from '../lib/row.ts';
import { median } from '../lib/stats.ts';

interface Timed {
  samples: number[];
  busyMs: number;
  wallMs: number;
  worstStallMs: number;
}

/** `runs` renders of `job`: wall seconds each, plus what they cost the main thread. */
async function timeRenders(
  dir: string,
  label: string,
  job: Omit<RenderJob, 'outFile'>,
  runs: number,
): Promise<Timed> {
  const timed: Timed = { samples: [], busyMs: 0, wallMs: 0, worstStallMs: 0 };
  for (let i = 0; i < runs; i++) {
    const stall = monitorEventLoopDelay({ resolution: 5 });
    stall.enable();
    const loopBefore = performance.eventLoopUtilization();
    const t0 = performance.now();
    await renderVideo({ ...job, outFile: join(dir, `${label}-${i}.mp4`) });
    const ms = performance.now() - t0;
    stall.disable();
    timed.busyMs += performance.eventLoopUtilization(loopBefore).active;
    timed.wallMs += ms;
    timed.worstStallMs = Math.max(timed.worstStallMs, stall.max / 1e6);
    timed.samples.push(ms / 1000);
  }
  return timed;
}

async function inScratchDir<T>(run: (dir: string, image: Buffer) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'ms-bench-v3-'));
  try {
    return await run(dir, await scenePng(1920, 1080));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A 15 s kling-v3 pro multi-shot with sound (the longest, busiest kling-v3 video short of 4k) vs 15 s. */
export function v3MultiShotRenderRows(): Promise<RowResult[]> {
  return inScratchDir(async (dir, image) => {
    const timed = await timeRenders(
      dir,
      'multishot',
      {
        image,
        fps: 24,
        durationSeconds: 15,
        quality: 'pro',
        shots: Array.from({ length: 5 }, () => ({ durationSeconds: 3 })),
        audio: true,
      },
      3,
    );
    return [
      ratioRow({
        row: 'v3_multishot_render',
        metric: '15 s pro multi-shot, 5 shots, sound (s)',
        value: median(timed.samples),
        baseline: 15,
        unit: 's',
        goal: { max: 1.0 },
        how: 'renderVideo() of a 1920×1080 scene as kling-v3 pro: 5 shots of 3 s (4 hard cuts), AAC tone bed, 1920×1080 24 fps 360 frames, median of 3, vs the 15 s it lasts',
        samples: timed.samples,
      }),
      ratioRow({
        row: 'v3_multishot_render',
        metric: 'worst event-loop stall during a multi-shot render (ms)',
        value: timed.worstStallMs,
        baseline: 50,
        unit: 'ms',
        goal: null,
        how: `monitorEventLoopDelay (5 ms resolution) max over the 3 renders above, vs the 50 ms of a long task; main thread busy ${timed.busyMs.toFixed(0)} ms of ${timed.wallMs.toFixed(0)} ms`,
      }),
    ];
  });
}

/** A 5 s kling-v3 4k video with sound vs 5 s: report only. */
export function v34kRenderRows(): Promise<RowResult[]> {
  return inScratchDir(async (dir, image) => {
    // 4k costs about three 1080p renders' CPU; two samples keep the row's own load bearable.
    const timed = await timeRenders(
      dir,
      '4k',
      { image, fps: 24, durationSeconds: 5, quality: '4k', audio: true },
      2,
    );
    return [
      ratioRow({
        row: 'v3_4k_render',
        metric: '5 s 4k video, sound (s)',
        value: median(timed.samples),
        baseline: 5,
        unit: 's',
        goal: null,
        how: 'renderVideo() of a 1920×1080 scene as kling-v3 4k: push-in warped at 1080p and scaled to 3840×2160, x264 superfast, AAC tone, 24 fps 120 frames, median of 2, vs the 5 s it lasts',
        samples: timed.samples,
      }),
    ];
  });
}
