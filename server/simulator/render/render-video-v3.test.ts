/**
 * kling-v3's renders: 3–15 s, 4k, multi-shot with hard cuts (counted from the frames), and sound.
 * Small start frames and std quality wherever the point allows: the output size follows the quality,
 * not the picture, so these stay cheap on a shared machine.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesSource, readVideoFacts } from '../../../contract/video/container-header.ts';
import { CUT_THRESHOLD, detectCuts } from './cut-detect.ts';
import { probeVideo, type RenderJob, RenderJobError, renderVideo } from './index.ts';
import { audioSeconds, centroid, decodeFrames, isRed, meanColour, scenePng } from './render-test-support.ts';

const scene = { width: 320, height: 180 };
let dir: string;
let picture: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'render-v3-test-'));
  // Textured enough that another framing of it looks different: discs of several colours on grey.
  picture = await scenePng(scene, [
    { cx: 60, cy: 120, r: 28, fill: '#ff0000' },
    { cx: 250, cy: 50, r: 22, fill: '#0000ff' },
    { cx: 170, cy: 95, r: 18, fill: '#ffff00' },
    { cx: 280, cy: 150, r: 15, fill: '#00ffff' },
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function render(job: Partial<RenderJob>) {
  const outFile = join(dir, `v3-${++counter}.mp4`);
  const result = await renderVideo({
    image: picture,
    fps: 24,
    durationSeconds: 3,
    quality: 'std',
    outFile,
    ...job,
  });
  return { outFile, result };
}

const hasAudio = async (file: string) => (await readVideoFacts(bytesSource(await readFile(file)))).hasAudio;
const shots = (...seconds: number[]) => seconds.map((durationSeconds) => ({ durationSeconds }));

/** Sound to the end: the bed stops on a whole AAC frame, 21–43 ms before the picture (audio-bed.ts). */
function expectSoundFor(heard: number | null, seconds: number) {
  expect(heard).not.toBeNull();
  expect(heard!).toBeGreaterThan(seconds - 2048 / 48_000 - 1e-9);
  expect(heard!).toBeLessThan(seconds);
}

describe('kling-v3 lengths and sizes', () => {
  it('3 s at 24 fps: exactly 72 frames and 3 s, silent unless sound is asked for', async () => {
    const { outFile, result } = await render({ durationSeconds: 3 });
    expect(result).toEqual({ width: 1280, height: 720, frames: 72, durationSeconds: 3, fps: 24 });
    expect(await probeVideo(outFile)).toMatchObject({
      width: 1280,
      height: 720,
      fps: 24,
      frames: 72,
      durationSeconds: 3,
    });
    expect(await hasAudio(outFile)).toBe(false);
    expect(await audioSeconds(outFile)).toBeNull();
  });

  it('15 s at 24 fps with sound: exactly 360 frames and an AAC track as long as the video', async () => {
    const { outFile, result } = await render({ durationSeconds: 15, audio: true });
    expect(result).toMatchObject({ frames: 360, durationSeconds: 15 });
    expect(await probeVideo(outFile)).toMatchObject({ fps: 24, frames: 360, durationSeconds: 15 });
    expect(await hasAudio(outFile)).toBe(true);
    expectSoundFor(await audioSeconds(outFile), 15);
  });

  it('4k: a 16:9 start frame becomes 3840×2160', async () => {
    const { outFile, result } = await render({ quality: '4k' });
    expect(result).toEqual({ width: 3840, height: 2160, frames: 72, durationSeconds: 3, fps: 24 });
    expect(await probeVideo(outFile)).toMatchObject({
      codec: 'h264',
      pixelFormat: 'yuv420p',
      width: 3840,
      height: 2160,
      frames: 72,
      durationSeconds: 3,
    });
  });
});

describe('kling-v3 multi-shot', () => {
  it('3 shots of 4, 5 and 3 s: a 12 s video with exactly 2 hard cuts, at 4 s and 9 s, and sound throughout', async () => {
    const { outFile, result } = await render({ durationSeconds: 12, shots: shots(4, 5, 3), audio: true });
    expect(result).toMatchObject({ frames: 288, durationSeconds: 12 });
    expect(await probeVideo(outFile)).toMatchObject({ frames: 288, durationSeconds: 12 });
    const report = await detectCuts(outFile);
    expect(report.cuts.map((cut) => cut.seconds)).toEqual([4, 9]);
    // No near-miss inside a shot: every other frame changes by far less than a cut's threshold.
    const cutFrames = new Set(report.cuts.map((cut) => cut.frame));
    const within = report.differences.filter((_, i) => !cutFrames.has(i + 1));
    expect(Math.max(...within)).toBeLessThan(CUT_THRESHOLD / 4);
    expect(Math.min(...report.cuts.map((cut) => cut.difference))).toBeGreaterThan(CUT_THRESHOLD * 1.5);
    expectSoundFor(await audioSeconds(outFile), 12);
  });

  it('each shot frames the picture differently: shot 1 opens on the start frame, shot 2 is a tighter crop', async () => {
    const { outFile } = await render({ durationSeconds: 3, shots: shots(1, 2) });
    const frames = await decodeFrames(outFile, scene);
    const first = centroid(frames[0]!, scene, isRed);
    expect(first.x).toBeCloseTo(60, 0);
    expect(first.y).toBeCloseTo(120, 0);
    // Shot 2 opens 1.6× closer, centred right of the middle: the red disc, far left, is out of view.
    expect(centroid(frames[24]!, scene, isRed).count).toBe(0);
    // …and pans left, bringing it in by the end, magnified (its area about 1.6² times).
    const last = centroid(frames[71]!, scene, isRed);
    expect(last.count).toBeGreaterThan(first.count * 2);
  });

  it('with an end frame, the last shot dissolves into it: still a hard cut before, the end frame last', async () => {
    const green = await sharp({ create: { width: 160, height: 90, channels: 3, background: '#00c000' } })
      .png()
      .toBuffer();
    const { outFile } = await render({
      durationSeconds: 3,
      shots: shots(1, 2),
      imageTail: green,
      audio: true,
    });
    const report = await detectCuts(outFile);
    expect(report.cuts.map((cut) => cut.frame)).toEqual([24]);
    const frames = await decodeFrames(outFile, scene);
    // The cut lands on the second shot's framing of the start frame, not yet on any green.
    const [, g24] = meanColour(frames[24]!);
    const [, g23] = meanColour(frames[23]!);
    expect(Math.abs(g24 - g23)).toBeLessThan(40);
    const [r, g, b] = meanColour(frames[71]!);
    expect(g).toBeGreaterThan(185);
    expect(r).toBeLessThan(10);
    expect(b).toBeLessThan(10);
    expect(await hasAudio(outFile)).toBe(true);
  });

  it('is deterministic with shots and sound: the same job gives the same bytes', async () => {
    const job = { durationSeconds: 3, shots: shots(2, 1), audio: true };
    const digest = async (file: string) =>
      createHash('sha256')
        .update(await readFile(file))
        .digest('hex');
    const [a, b] = [await render(job), await render(job)];
    expect(await digest(a.outFile)).toBe(await digest(b.outFile));
  });

  it('refuses shots with a camera or the brush, and shots that do not add up to the video', async () => {
    const refused = (job: Partial<RenderJob>) => expect(render(job)).rejects.toBeInstanceOf(RenderJobError);
    await refused({ shots: shots(1, 2), cameraControl: { type: 'forward_up' } });
    await refused({ shots: shots(1, 2), staticMask: picture });
    await refused({ shots: shots(1, 1) });
    await refused({ shots: [] });
    await refused({ shots: shots(3, 0) });
  });
});
