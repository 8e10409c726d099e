import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { renderMotionTransfer } from '../../server/simulator/render/index.ts';
import { makeTestVideo } from '../../server/testing/test-videos.ts';
import { scenePng } from '../fixtures/scene.ts';
import { type RowResult, ratioRow } from '../lib/row.ts';
import { median } from '../lib/stats.ts';

const SECONDS = 10;

/** Simulator render time of a 10 s motion transfer (std, 24 fps, with sound) vs the 10 s it lasts. */
export async function transferRenderRow(): Promise<RowResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ms-bench-transfer-'));
  try {
    const image = await scenePng(1280, 720);
    const referenceFile = join(dir, 'reference.mp4');
    // A subject that crosses half the frame and comes closer: both a shift and a scale to follow.
    await makeTestVideo(referenceFile, {
      width: 480,
      height: 360,
      seconds: SECONDS,
      audio: true,
      from: { x: 0.25, y: 0.5 },
      to: { x: 0.75, y: 0.45 },
      size: 0.2,
      sizeTo: 0.35,
    });
    const samples: number[] = [];
    let busyMs = 0;
    let wallMs = 0;
    let worstStallMs = 0;
    for (let i = 0; i < 3; i++) {
      const stall = monitorEventLoopDelay({ resolution: 5 });
      stall.enable();
      const loopBefore = performance.eventLoopUtilization();
      const t0 = performance.now();
      await renderMotionTransfer({
        image,
        referenceFile,
        durationSeconds: SECONDS,
        fps: 24,
        quality: 'std',
        keepSound: true,
        outFile: join(dir, `transfer-${i}.mp4`),
      });
      const ms = performance.now() - t0;
      stall.disable();
      busyMs += performance.eventLoopUtilization(loopBefore).active;
      wallMs += ms;
      worstStallMs = Math.max(worstStallMs, stall.max / 1e6);
      samples.push(ms / 1000);
    }
    return [
      ratioRow({
        row: 'transfer_render',
        metric: '10 s std motion transfer (s)',
        value: median(samples),
        baseline: SECONDS,
        unit: 's',
        goal: { max: 1.0 },
        how: 'renderMotionTransfer() of a 1280×720 scene following a 480×360 10 s reference (blob crossing and growing, AAC tone kept), std 24 fps 240 frames, median of 3, vs the 10 s it lasts',
        samples,
      }),
      ratioRow({
        row: 'transfer_render',
        metric: 'main thread busy during transfers (ms)',
        value: busyMs,
        baseline: wallMs,
        unit: 'ms',
        goal: null,
        how: "event-loop utilisation's active time over the 3 transfers above (tracking included) vs their wall time",
      }),
      ratioRow({
        row: 'transfer_render',
        metric: 'worst event-loop stall during a transfer (ms)',
        value: worstStallMs,
        baseline: 50,
        unit: 'ms',
        goal: null,
        how: 'monitorEventLoopDelay (5 ms resolution) max over the 3 transfers above, vs the 50 ms of a long task',
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
