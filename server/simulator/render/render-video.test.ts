import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CameraConfig, probeVideo, type RenderJob, RenderJobError, renderVideo } from './index.ts';
import {
  type Blob,
  centroid,
  decodeFrames,
  isBlue,
  isRed,
  maskPng,
  meanColour,
  scenePng,
} from './render-test-support.ts';

const scene = { width: 640, height: 360 };
/** Frames are decoded back at the scene's size so positions compare in scene pixels. */
const decodeSize = scene;
const red: Blob = { cx: 100, cy: 260, r: 30, fill: '#ff0000' };
const blue: Blob = { cx: 500, cy: 100, r: 30, fill: '#0000ff' };
const centred: Blob = { cx: 320, cy: 180, r: 40, fill: '#ff0000' };
const still: CameraConfig = { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 0 };

let dir: string;
let redBlueScene: Buffer;
let centredScene: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'render-video-test-'));
  redBlueScene = await scenePng(scene, [red, blue]);
  centredScene = await scenePng(scene, [centred]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function render(
  job: Omit<RenderJob, 'outFile' | 'fps' | 'durationSeconds' | 'quality'> & Partial<RenderJob>,
) {
  const outFile = join(dir, `video-${++counter}.mp4`);
  const result = await renderVideo({ fps: 30, durationSeconds: 1, quality: 'std', outFile, ...job });
  return { outFile, result };
}

async function firstAndLast(file: string) {
  const frames = await decodeFrames(file, decodeSize);
  return { first: frames[0]!, last: frames[frames.length - 1]!, count: frames.length };
}

describe('renderVideo output format', () => {
  it('writes H.264 yuv420p at 720p with exactly fps × duration frames (5 s std at 30 fps = 150)', async () => {
    const { outFile, result } = await render({ image: redBlueScene, durationSeconds: 5 });
    expect(result).toEqual({ width: 1280, height: 720, frames: 150, durationSeconds: 5, fps: 30 });
    expect(await probeVideo(outFile)).toEqual({
      codec: 'h264',
      pixelFormat: 'yuv420p',
      width: 1280,
      height: 720,
      fps: 30,
      frames: 150,
      durationSeconds: 5,
    });
  });

  it('honours 24 fps and pro’s 1080p', async () => {
    const { outFile, result } = await render({ image: redBlueScene, fps: 24, quality: 'pro' });
    expect(result).toEqual({ width: 1920, height: 1080, frames: 24, durationSeconds: 1, fps: 24 });
    expect(await probeVideo(outFile)).toMatchObject({
      width: 1920,
      height: 1080,
      fps: 24,
      frames: 24,
      durationSeconds: 1,
    });
  });

  it('keeps a portrait image’s aspect ratio', async () => {
    const portrait = await scenePng({ width: 360, height: 640 }, [
      { cx: 180, cy: 320, r: 40, fill: '#ff0000' },
    ]);
    const { outFile, result } = await render({ image: portrait });
    expect(result).toMatchObject({ width: 720, height: 1280 });
    expect(await probeVideo(outFile)).toMatchObject({ width: 720, height: 1280, frames: 30 });
  });

  it('puts the moov atom before the media data (+faststart) so browsers can start playing at once', async () => {
    const { outFile } = await render({ image: redBlueScene });
    const bytes = (await readFile(outFile)).toString('latin1');
    expect(bytes.indexOf('moov')).toBeGreaterThan(0);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
  });

  it('is deterministic: the same job gives the same bytes', async () => {
    const job = {
      image: redBlueScene,
      cameraControl: { type: 'simple' as const, config: { ...still, roll: 5 } },
    };
    const [a, b] = [await render(job), await render(job)];
    const digest = async (file: string) =>
      createHash('sha256')
        .update(await readFile(file))
        .digest('hex');
    expect(await digest(a.outFile)).toBe(await digest(b.outFile));
  });
});

describe('renderVideo motion', () => {
  it('moves a dynamic-mask region along its trajectory while the static region stays put', async () => {
    // The trajectory is in API coordinates: native pixels, origin bottom-left. (100,100) is the red
    // blob's centre, (400,250) is up and to the right, i.e. (400,110) measured from the top.
    const { outFile } = await render({
      image: redBlueScene,
      // Masks only need the aspect ratio: these are at twice the image's size.
      dynamicMasks: [
        {
          mask: await maskPng(scene, red, 2),
          trajectories: [
            { x: 100, y: 100 },
            { x: 400, y: 250 },
          ],
        },
      ],
      staticMask: await maskPng(scene, blue, 2),
    });
    const { first, last } = await firstAndLast(outFile);
    const redStart = centroid(first, decodeSize, isRed);
    const redEnd = centroid(last, decodeSize, isRed);
    expect(redStart.x).toBeCloseTo(100, 0);
    expect(redStart.y).toBeCloseTo(260, 0);
    expect(redEnd.x).toBeGreaterThan(redStart.x);
    expect(redEnd.y).toBeLessThan(redStart.y);
    expect(Math.abs(redEnd.x - 400)).toBeLessThan(3);
    expect(Math.abs(redEnd.y - 110)).toBeLessThan(3);
    // Moved, not cloned: the hole it left is filled, so all the red is at the destination.
    expect(redEnd.count).toBeGreaterThan(redStart.count * 0.9);
    expect(redEnd.count).toBeLessThan(redStart.count * 1.1);

    const blueStart = centroid(first, decodeSize, isBlue);
    const blueEnd = centroid(last, decodeSize, isBlue);
    expect(Math.abs(blueEnd.x - blueStart.x)).toBeLessThan(2);
    expect(Math.abs(blueEnd.y - blueStart.y)).toBeLessThan(2);
    expect(Math.abs(blueStart.x - 500)).toBeLessThan(2);
  });

  it('follows a bent trajectory at constant speed along its length', async () => {
    const { outFile } = await render({
      image: redBlueScene,
      dynamicMasks: [
        {
          mask: await maskPng(scene, red),
          // Right 200, then down 100 (API y falls): 300 px in all, so 2/3 of the clip is the first leg.
          trajectories: [
            { x: 100, y: 100 },
            { x: 300, y: 100 },
            { x: 300, y: 0 },
          ],
        },
      ],
    });
    const frames = await decodeFrames(outFile, decodeSize);
    // Frame 10 of 30 is progress 10/29 ≈ 0.345 of 300 px ≈ 103 px along the first leg.
    const early = centroid(frames[10]!, decodeSize, isRed);
    expect(Math.abs(early.x - (100 + 300 * (10 / 29)))).toBeLessThan(3);
    expect(Math.abs(early.y - 260)).toBeLessThan(2);
    // Frame 25 is 25/29 of 300 ≈ 259 px along: past the corner, 59 px down the second leg.
    const late = centroid(frames[25]!, decodeSize, isRed);
    expect(Math.abs(late.x - 300)).toBeLessThan(3);
    expect(Math.abs(late.y - (260 + 300 * (25 / 29) - 200))).toBeLessThan(3);
    // At the end the centre sits on the bottom edge: only the upper half (centroid 4r/3π above) shows.
    const end = centroid(frames[frames.length - 1]!, decodeSize, isRed);
    expect(Math.abs(end.x - 300)).toBeLessThan(3);
    expect(Math.abs(end.y - (360 - (4 * red.r) / (3 * Math.PI)))).toBeLessThan(3);
  });

  it('zoom − (a narrower view, zooming in) makes a centred blob larger', async () => {
    const { outFile } = await render({
      image: centredScene,
      cameraControl: { type: 'simple', config: { ...still, zoom: -8 } },
    });
    const { first, last } = await firstAndLast(outFile);
    const start = centroid(first, decodeSize, isRed);
    const end = centroid(last, decodeSize, isRed);
    // 1.48× linear is about 2.2× the area.
    expect(end.count / start.count).toBeGreaterThan(1.9);
    expect(Math.abs(end.x - 320)).toBeLessThan(2);
    expect(Math.abs(end.y - 180)).toBeLessThan(2);
  });

  it('horizontal + (camera right) moves the picture left', async () => {
    const { outFile } = await render({
      image: centredScene,
      cameraControl: { type: 'simple', config: { ...still, horizontal: 8 } },
    });
    const { first, last } = await firstAndLast(outFile);
    const start = centroid(first, decodeSize, isRed);
    const end = centroid(last, decodeSize, isRed);
    expect(start.x).toBeCloseTo(320, 0);
    expect(end.x).toBeLessThan(start.x - 100); // a fifth of the 640 px frame
    expect(Math.abs(end.y - start.y)).toBeLessThan(2);
  });

  it('roll + (camera clockwise) turns the picture counter-clockwise', async () => {
    const image = await scenePng(scene, [{ cx: 500, cy: 180, r: 25, fill: '#ff0000' }]);
    const { outFile } = await render({
      image,
      cameraControl: { type: 'simple', config: { ...still, roll: 6 } },
    });
    const { first, last } = await firstAndLast(outFile);
    const start = centroid(first, decodeSize, isRed);
    const end = centroid(last, decodeSize, isRed);
    // Right of centre, turning counter-clockwise: it rises on screen.
    expect(end.y).toBeLessThan(start.y - 20);
  });

  it('a preset moves as its name says (forward_up: the camera rises and moves in, so the picture grows and sinks)', async () => {
    const { outFile } = await render({ image: centredScene, cameraControl: { type: 'forward_up' } });
    const { first, last } = await firstAndLast(outFile);
    const start = centroid(first, decodeSize, isRed);
    const end = centroid(last, decodeSize, isRed);
    expect(end.count).toBeGreaterThan(start.count * 1.3);
    expect(end.y).toBeGreaterThan(start.y + 20);
  });

  it('with no motion asked for, pushes in gently and starts on the exact start frame', async () => {
    const { outFile } = await render({ image: redBlueScene });
    const { first, last } = await firstAndLast(outFile);
    const start = centroid(first, decodeSize, isRed);
    const end = centroid(last, decodeSize, isRed);
    expect(start.x).toBeCloseTo(100, 0);
    expect(start.y).toBeCloseTo(260, 0);
    // ×1.1 about the centre (320,180).
    expect(Math.abs(end.x - (320 + (100 - 320) * 1.1))).toBeLessThan(2);
    expect(Math.abs(end.y - (180 + (260 - 180) * 1.1))).toBeLessThan(2);
  });

  it('cross-fades from the start frame to the end frame', async () => {
    const tail = await scenePng({ width: 320, height: 180 }, [], '#00c000');
    const { outFile } = await render({ image: redBlueScene, imageTail: tail });
    const { first, last } = await firstAndLast(outFile);
    const [r0, g0, b0] = meanColour(first);
    expect(g0).toBeLessThan(r0 + 5);
    expect(b0).toBeGreaterThan(100);
    const [r1, g1, b1] = meanColour(last);
    expect(g1).toBeGreaterThan(185);
    expect(r1).toBeLessThan(10);
    expect(b1).toBeLessThan(10);
  });

  it('a static mask alone pins its region while the rest pushes in', async () => {
    const { outFile } = await render({ image: redBlueScene, staticMask: await maskPng(scene, blue) });
    const { first, last } = await firstAndLast(outFile);
    const blueStart = centroid(first, decodeSize, isBlue);
    const blueEnd = centroid(last, decodeSize, isBlue);
    expect(Math.abs(blueEnd.x - blueStart.x)).toBeLessThan(2);
    expect(Math.abs(blueEnd.y - blueStart.y)).toBeLessThan(2);
    const redEnd = centroid(last, decodeSize, isRed);
    expect(redEnd.x).toBeLessThan(100 - 10);
  });
});

describe('renderVideo jobs', () => {
  it('refuses motion inputs Kling makes exclusive', async () => {
    const outFile = join(dir, 'never.mp4');
    await expect(
      renderVideo({
        image: redBlueScene,
        imageTail: redBlueScene,
        cameraControl: { type: 'forward_up' },
        fps: 30,
        durationSeconds: 1,
        quality: 'std',
        outFile,
      }),
    ).rejects.toBeInstanceOf(RenderJobError);
  });

  it('stops ffmpeg on abort and leaves no file behind', async () => {
    const sub = await mkdtemp(join(dir, 'abort-'));
    const controller = new AbortController();
    const running = renderVideo({
      image: redBlueScene,
      durationSeconds: 10,
      quality: 'pro',
      fps: 30,
      outFile: join(sub, 'aborted.mp4'),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 300);
    const startedAt = Date.now();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(await readdir(sub)).toEqual([]);
  });

  it('rejects at once when already aborted', async () => {
    await expect(
      renderVideo({
        image: redBlueScene,
        fps: 30,
        durationSeconds: 1,
        quality: 'std',
        outFile: join(dir, 'never.mp4'),
        signal: AbortSignal.abort(),
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
