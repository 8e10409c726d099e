import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUT_THRESHOLD, cutsIn, detectCuts, frameDifferences } from './cut-detect.ts';
import { runFfmpeg } from './ffmpeg-process.ts';
import { scenePng } from './render-test-support.ts';
import { renderVideo } from './render-video.ts';

let dir: string;
let busyScene: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cut-detect-test-'));
  busyScene = await scenePng(
    { width: 320, height: 180 },
    [
      { cx: 60, cy: 120, r: 30, fill: '#ff0000' },
      { cx: 250, cy: 50, r: 25, fill: '#0000ff' },
      { cx: 160, cy: 90, r: 20, fill: '#ffff00' },
    ],
    '#303030',
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cutsIn', () => {
  it('finds a lone spike above the threshold, naming the new shot’s first frame', () => {
    expect(cutsIn([0.2, 0.3, 20, 0.2, 0.1])).toEqual([3]);
    expect(cutsIn([0.2, 20, 0.2, 0.3, 30])).toEqual([2, 5]);
  });

  it('ignores small changes and steady large ones (a quick dissolve)', () => {
    expect(cutsIn([0.2, CUT_THRESHOLD - 0.5, 0.2])).toEqual([]);
    expect(cutsIn([11, 11.2, 10.8, 11, 11.1])).toEqual([]);
    expect(cutsIn([])).toEqual([]);
  });

  it('takes its own threshold and ratio', () => {
    expect(cutsIn([0.1, 3, 0.1], { threshold: 2 })).toEqual([2]);
    expect(cutsIn([2, 9, 2], { ratio: 5 })).toEqual([]);
  });
});

describe('frameDifferences', () => {
  it('is the mean absolute difference of consecutive frames', () => {
    const frames = [new Uint8Array([0, 0]), new Uint8Array([10, 20]), new Uint8Array([10, 20])];
    expect(frameDifferences(frames)).toEqual([15, 0]);
  });
});

describe('detectCuts', () => {
  it('counts the one cut in a red-then-blue clip, at the right frame and second', async () => {
    const file = join(dir, 'cut.mp4');
    await runFfmpeg(
      // biome-ignore format: flag and value pairs read best side by side
      [
        '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
        '-f', 'lavfi', '-i', 'color=c=red:s=160x90:r=24:d=1',
        '-f', 'lavfi', '-i', 'color=c=blue:s=160x90:r=24:d=1',
        '-filter_complex', '[0:v][1:v]concat=n=2:v=1:a=0,format=yuv420p[v]', '-map', '[v]',
        '-c:v', 'libx264', '-preset', 'ultrafast', file,
      ],
    );
    const report = await detectCuts(file);
    expect(report).toMatchObject({ frames: 48, fps: 24 });
    expect(report.cuts.map(({ frame, seconds }) => ({ frame, seconds }))).toEqual([
      { frame: 24, seconds: 1 },
    ]);
  });

  it('finds no cut in a video without one: a push-in that dissolves in 1 s into a white end frame', async () => {
    const white = await sharp({ create: { width: 320, height: 180, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    const file = join(dir, 'dissolve.mp4');
    await renderVideo({
      image: busyScene,
      imageTail: white,
      fps: 24,
      durationSeconds: 1,
      quality: 'std',
      outFile: file,
    });
    const report = await detectCuts(file);
    expect(report.frames).toBe(24);
    // Most frames change by more than a cut's threshold (dark to white in 23 steps), but evenly: no
    // spike, so no cut.
    const sorted = [...report.differences].sort((a, b) => a - b);
    expect(sorted[sorted.length >> 1]).toBeGreaterThan(CUT_THRESHOLD);
    expect(report.cuts).toEqual([]);
  });

  it('finds no cut in a fast camera pan', async () => {
    const file = join(dir, 'pan.mp4');
    await renderVideo({
      image: busyScene,
      cameraControl: {
        type: 'simple',
        config: { horizontal: 10, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 0 },
      },
      fps: 24,
      durationSeconds: 2,
      quality: 'std',
      outFile: file,
    });
    const report = await detectCuts(file);
    expect(report.frames).toBe(48);
    expect(Math.max(...report.differences)).toBeGreaterThan(0.2);
    expect(report.cuts).toEqual([]);
  });
});
