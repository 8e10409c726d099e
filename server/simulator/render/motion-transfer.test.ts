import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesSource, readVideoFacts } from '../../../contract/video/container-header.ts';
import { makeTestVideo } from '../test-videos.ts';
import { runFfmpeg } from './ffmpeg-process.ts';
import { probeVideo, renderMotionTransfer, type TransferJob } from './index.ts';
import { centroid, decodeFrames, meanColour } from './render-test-support.ts';

/** The character: a white square at the centre of a dark 480x360 picture (std output 960x720). */
const picture = { width: 480, height: 360 };
const square = { side: 40, left: 220, top: 160 };
/** Output frames are decoded at a quarter of 960x720: the square starts at (120, 90), 20 px a side. */
const decodeSize = { width: 240, height: 180 };
const isWhite = (r: number, g: number, b: number) => r > 200 && g > 200 && b > 200;

let dir: string;
let image: Buffer;
/** The reference blob crosses 0.4 of the frame, left to right, over 2 s; with a tone. */
let crossing: string;
/** The reference blob doubles its side in place over 2 s; silent. */
let growing: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'motion-transfer-test-'));
  crossing = join(dir, 'crossing.mp4');
  growing = join(dir, 'growing.mov');
  const white = await sharp({
    create: { width: square.side, height: square.side, channels: 3, background: '#ffffff' },
  })
    .png()
    .toBuffer();
  [image] = await Promise.all([
    sharp({ create: { ...picture, channels: 3, background: '#202020' } })
      .composite([{ input: white, left: square.left, top: square.top }])
      .png()
      .toBuffer(),
    makeTestVideo(crossing, { seconds: 2, from: { x: 0.3, y: 0.5 }, to: { x: 0.7, y: 0.5 }, audio: true }),
    makeTestVideo(growing, {
      seconds: 2,
      format: 'mov',
      from: { x: 0.5, y: 0.5 },
      to: { x: 0.5, y: 0.5 },
      size: 0.15,
      sizeTo: 0.3,
    }),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
function transfer(job: Partial<TransferJob> & Pick<TransferJob, 'referenceFile'>) {
  const outFile = join(dir, `transfer-${++counter}.mp4`);
  return renderMotionTransfer({
    image,
    durationSeconds: 2,
    fps: 24,
    quality: 'std',
    keepSound: false,
    outFile,
    ...job,
  }).then((result) => ({ outFile, result }));
}

/** The streams ffmpeg sees in a file, e.g. "Video: h264 …" and "Audio: aac …". */
async function streams(file: string): Promise<string[]> {
  const args = ['-hide_banner', '-nostdin', '-i', file, '-map', '0', '-f', 'null', '-'];
  const { stderr } = await runFfmpeg(args);
  const input = stderr.slice(0, stderr.indexOf('Stream mapping'));
  return [...input.matchAll(/Stream #0:\d+[^:]*: (\w+: \w+)/g)].map((m) => m[1]!);
}

describe('renderMotionTransfer', () => {
  let crossed: { outFile: string; result: Awaited<ReturnType<typeof renderMotionTransfer>> };
  beforeAll(async () => {
    crossed = await transfer({ referenceFile: crossing, keepSound: true });
  });

  it('writes an H.264 yuv420p MP4 at std size that lasts as long as the reference', async () => {
    expect(crossed.result).toEqual({ width: 960, height: 720, frames: 48, durationSeconds: 2, fps: 24 });
    const probe = await probeVideo(crossed.outFile);
    expect(probe).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', width: 960, height: 720, fps: 24 });
    expect(probe.frames).toBe(48);
    expect(probe.durationSeconds).toBeGreaterThanOrEqual(2);
    expect(probe.durationSeconds).toBeLessThan(2.1);
    // faststart: the movie header comes before the media data.
    const bytes = await readFile(crossed.outFile);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
  });

  it('starts on the character picture', async () => {
    const [first] = await decodeFrames(crossed.outFile, decodeSize);
    const expected = await sharp(image)
      .removeAlpha()
      .resize(decodeSize.width, decodeSize.height)
      .raw()
      .toBuffer();
    expect(expected.length).toBe(first!.length);
    let difference = 0;
    for (let i = 0; i < expected.length; i++) difference += Math.abs(first![i]! - expected[i]!);
    expect(difference / expected.length).toBeLessThan(3);
    const start = centroid(first!, decodeSize, isWhite);
    expect(start.x).toBeCloseTo(120, 0);
    expect(start.y).toBeCloseTo(90, 0);
  });

  it('moves the picture right as the reference’s blob moves right, by about as much', async () => {
    const frames = await decodeFrames(crossed.outFile, decodeSize);
    expect(frames).toHaveLength(48);
    const at = (frame: number) => centroid(frames[frame]!, decodeSize, isWhite);
    const path = [0, 12, 24, 36, 47].map(at);
    for (let i = 1; i < path.length; i++) expect(path[i]!.x).toBeGreaterThan(path[i - 1]!.x + 10);
    // The blob crosses 0.4 of the reference's width; the reference (4:3) fits the 4:3 output exactly,
    // so the square crosses 0.4 of 240 decoded pixels, and stays at the same height and size.
    const travel = path[4]!.x - path[0]!.x;
    expect(travel).toBeGreaterThan(0.85 * 96);
    expect(travel).toBeLessThan(1.1 * 96);
    expect(Math.abs(path[4]!.y - path[0]!.y)).toBeLessThan(3);
    expect(path[4]!.count / path[0]!.count).toBeGreaterThan(0.8);
    expect(path[4]!.count / path[0]!.count).toBeLessThan(1.25);
    // Where the moved picture no longer covers the frame (its left 0.4 at the end), a dimmed copy of
    // the picture shows: neither the void nor the picture's edge pixels (grey 32) smeared across.
    const stride = decodeSize.width * 3;
    const corner = (frame: Uint8Array) => {
      const rows = Array.from({ length: 10 }, (_, y) => [...frame.subarray(y * stride, y * stride + 60 * 3)]);
      return meanColour(Uint8Array.from(rows.flat()))[1];
    };
    expect(corner(frames[0]!)).toBeCloseTo(32, -1);
    expect(corner(frames[47]!)).toBeGreaterThan(5);
    expect(corner(frames[47]!)).toBeLessThan(24);
  });

  it('keeps the reference’s sound as AAC when asked, and has no audio track when not', async () => {
    expect(await streams(crossed.outFile)).toEqual([expect.stringMatching(/^Video: h264/), 'Audio: aac']);
    expect((await readVideoFacts(bytesSource(await readFile(crossed.outFile)))).hasAudio).toBe(true);
    const silent = await transfer({ referenceFile: crossing, keepSound: false });
    expect(await streams(silent.outFile)).toEqual([expect.stringMatching(/^Video: h264/)]);
    expect((await readVideoFacts(bytesSource(await readFile(silent.outFile)))).hasAudio).toBe(false);
  });

  it('grows the picture as the reference’s blob grows, in place; a silent reference gives no audio', async () => {
    const { outFile } = await transfer({ referenceFile: growing, keepSound: true });
    expect(await streams(outFile)).toEqual([expect.stringMatching(/^Video: h264/)]);
    const frames = await decodeFrames(outFile, decodeSize);
    const first = centroid(frames[0]!, decodeSize, isWhite);
    const last = centroid(frames[47]!, decodeSize, isWhite);
    // The blob's side doubles; the square's area should about quadruple.
    const growth = Math.sqrt(last.count / first.count);
    expect(growth).toBeGreaterThan(1.6);
    expect(growth).toBeLessThan(2.4);
    expect(Math.abs(last.x - first.x)).toBeLessThan(4);
    expect(Math.abs(last.y - first.y)).toBeLessThan(4);
  });

  it('stops ffmpeg on abort and leaves no file behind', async () => {
    const sub = await mkdtemp(join(dir, 'abort-'));
    const controller = new AbortController();
    const running = renderMotionTransfer({
      image,
      referenceFile: crossing,
      durationSeconds: 10,
      fps: 24,
      quality: 'pro',
      keepSound: true,
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
      renderMotionTransfer({
        image,
        referenceFile: crossing,
        durationSeconds: 2,
        fps: 24,
        quality: 'std',
        keepSound: false,
        outFile: join(dir, 'never.mp4'),
        signal: AbortSignal.abort(),
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
