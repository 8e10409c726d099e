import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { renderVideo } from '../../server/simulator/render/index.ts';
import { discMask, scenePng } from '../fixtures/scene.ts';
import { type RowResult, ratioRow } from '../lib/row.ts';
import { median } from '../lib/stats.ts';

const W = 1280;
const H = 720;

/** Simulator render time of a 5 s video vs the video's own 5 s: a camera move in std, a 2-mask brush in pro. */
export async function renderRtRow(): Promise<RowResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ms-bench-render-'));
  const image = await scenePng(W, H);
  const maskA = await discMask(W, H, W * 0.25, H * 0.6, H * 0.1);
  const maskB = await discMask(W, H, W * 0.7, H * 0.45, H * 0.08);
  const staticMask = await discMask(W, H, W * 0.5, H * 0.65, H * 0.1);
  // The simulator renders on the thread that answers its API, so what a render costs that thread matters
  // as much as its wall time: the main thread's busy time (all of the render's JavaScript) and its worst stall.
  let busyMs = 0;
  let wallMs = 0;
  let worstStallMs = 0;
  const time = async (label: string, job: Omit<Parameters<typeof renderVideo>[0], 'outFile'>) => {
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const stall = monitorEventLoopDelay({ resolution: 5 });
      stall.enable();
      const loopBefore = performance.eventLoopUtilization();
      const t0 = performance.now();
      await renderVideo({ ...job, outFile: join(dir, `${label}-${i}.mp4`) });
      const ms = performance.now() - t0;
      stall.disable();
      busyMs += performance.eventLoopUtilization(loopBefore).active;
      wallMs += ms;
      worstStallMs = Math.max(worstStallMs, stall.max / 1e6);
      samples.push(ms / 1000);
    }
    return samples;
  };
  try {
    const camera = await time('camera', {
      image,
      cameraControl: {
        type: 'simple',
        config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 6 },
      },
      fps: 30,
      durationSeconds: 5,
      quality: 'std',
    });
    const brush = await time('brush', {
      image,
      staticMask,
      dynamicMasks: [
        {
          mask: maskA,
          trajectories: [
            { x: 320, y: 288 },
            { x: 600, y: 500 },
          ],
        },
        {
          mask: maskB,
          trajectories: [
            { x: 896, y: 396 },
            { x: 700, y: 200 },
            { x: 500, y: 300 },
          ],
        },
      ],
      fps: 30,
      durationSeconds: 5,
      quality: 'pro',
    });
    return [
      ratioRow({
        row: 'render_rt',
        metric: '5 s std video, camera zoom (s)',
        value: median(camera),
        baseline: 5,
        unit: 's',
        goal: { max: 1.0 },
        how: 'renderVideo() of a 1280×720 scene, std (720p) 30 fps 150 frames, median of 3, vs the 5 s it lasts',
        samples: camera,
      }),
      ratioRow({
        row: 'render_rt',
        metric: '5 s pro video, brush 2 masks (s)',
        value: median(brush),
        baseline: 5,
        unit: 's',
        goal: { max: 2.0 },
        how: 'renderVideo() with a static mask and 2 dynamic masks, pro (1080p) 30 fps, median of 3, vs 5 s',
        samples: brush,
      }),
      ratioRow({
        row: 'render_rt',
        metric: 'main thread busy during renders (ms)',
        value: busyMs,
        baseline: wallMs,
        unit: 'ms',
        goal: null,
        how: "event-loop utilisation's active time over the 6 renders above vs their wall time: the share of a render that holds the simulator's API thread",
      }),
      ratioRow({
        row: 'render_rt',
        metric: 'worst event-loop stall during a render (ms)',
        value: worstStallMs,
        baseline: 50,
        unit: 'ms',
        goal: null,
        how: 'monitorEventLoopDelay (5 ms resolution) max over the 6 renders above, vs the 50 ms of a long task',
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
