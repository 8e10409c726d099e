/** Helpers for the renderer's tests: synthetic scenes and decoded frames to measure motion on. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { runFfmpeg } from './ffmpeg-process.ts';
import type { Size } from './frame-geometry.ts';

export interface Blob {
  /** Centre, top-left origin, in scene pixels. */
  cx: number;
  cy: number;
  r: number;
  fill: string;
}

function svg(size: Size, body: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}">${body}</svg>`,
  );
}

function circle(blob: Blob, fill = blob.fill, grow = 0): string {
  return `<circle cx="${blob.cx}" cy="${blob.cy}" r="${blob.r + grow}" fill="${fill}"/>`;
}

/** A flat grey (or `background`) PNG with solid circles on it. */
export function scenePng(size: Size, blobs: readonly Blob[], background = '#808080'): Promise<Buffer> {
  const body = `<rect width="${size.width}" height="${size.height}" fill="${background}"/>${blobs.map((b) => circle(b)).join('')}`;
  return sharp(svg(size, body)).png().toBuffer();
}

/** A black mask with the blob (grown by `grow` px) in white, at `size`: masks need only the aspect. */
export function maskPng(size: Size, blob: Blob, scale = 1, grow = 4): Promise<Buffer> {
  const scaled = { cx: blob.cx * scale, cy: blob.cy * scale, r: blob.r * scale, fill: 'white' };
  const body = `<rect width="${size.width * scale}" height="${size.height * scale}" fill="black"/>${circle(scaled, 'white', grow * scale)}`;
  return sharp(svg({ width: size.width * scale, height: size.height * scale }, body))
    .png()
    .toBuffer();
}

/** Every frame of a video as RGB, optionally scaled down to keep the test's memory small. */
export async function decodeFrames(file: string, size: Size): Promise<Uint8Array[]> {
  const dir = await mkdtemp(join(tmpdir(), 'render-test-'));
  try {
    const raw = join(dir, 'frames.rgb');
    await runFfmpeg([
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-i',
      file,
      '-vf',
      `scale=${size.width}:${size.height}`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      raw,
    ]);
    const bytes = await readFile(raw);
    const frameBytes = size.width * size.height * 3;
    const frames: Uint8Array[] = [];
    for (let offset = 0; offset + frameBytes <= bytes.length; offset += frameBytes) {
      frames.push(new Uint8Array(bytes.buffer, bytes.byteOffset + offset, frameBytes));
    }
    return frames;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export type ColourTest = (r: number, g: number, b: number) => boolean;
export const isRed: ColourTest = (r, g, b) => r > 180 && g < 90 && b < 90;
export const isBlue: ColourTest = (r, g, b) => b > 180 && r < 90 && g < 90;

/** Centre of mass and pixel count of the pixels passing `test`. */
export function centroid(
  frame: Uint8Array,
  size: Size,
  test: ColourTest,
): { x: number; y: number; count: number } {
  let sx = 0;
  let sy = 0;
  let count = 0;
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      const i = (y * size.width + x) * 3;
      if (test(frame[i]!, frame[i + 1]!, frame[i + 2]!)) {
        sx += x;
        sy += y;
        count++;
      }
    }
  }
  return count ? { x: sx / count, y: sy / count, count } : { x: Number.NaN, y: Number.NaN, count };
}

/** Mean colour of a frame. */
export function meanColour(frame: Uint8Array): [number, number, number] {
  const sum = [0, 0, 0];
  for (let i = 0; i < frame.length; i += 3) {
    sum[0]! += frame[i]!;
    sum[1]! += frame[i + 1]!;
    sum[2]! += frame[i + 2]!;
  }
  const n = frame.length / 3;
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}

/**
 * How long a file's first audio track plays, counted in decoded samples (ffmpeg's progress `time=` is
 * the last packet's start, not the end); null when the file has no audio.
 */
export async function audioSeconds(file: string): Promise<number | null> {
  const dir = await mkdtemp(join(tmpdir(), 'render-test-audio-'));
  try {
    const raw = join(dir, 'audio.pcm');
    const rate = 48_000;
    const { stderr: listing } = await runFfmpeg([
      '-hide_banner',
      '-nostdin',
      '-i',
      file,
      '-f',
      'null',
      '-t',
      '0',
      '-',
    ]);
    if (!/Stream #\d+:\d+[^\n]*: Audio:/.test(listing)) return null;
    await runFfmpeg([
      '-hide_banner',
      '-nostdin',
      '-i',
      file,
      '-map',
      '0:a:0',
      '-f',
      's16le',
      '-ac',
      '1',
      '-ar',
      `${rate}`,
      raw,
    ]);
    const bytes = await readFile(raw);
    return bytes.length / 2 / rate;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
