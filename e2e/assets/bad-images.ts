import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as images from '../../contract/testing/test-images.ts';
import { asBuffer } from './frame-images.ts';

/**
 * The bad-input corpus as files on disk: generated at test time into e2e/.tmp/ (git-ignored), never
 * committed. Each file is named the way a creator's file would be, so the picker sees a real name and
 * the browser a real File; the bytes are what the rules judge. The bytes come from the shared test
 * images (contract/testing/test-images.ts); this file only hands them over as Buffers.
 */

export const pngBomb = (width?: number, height?: number): Buffer => asBuffer(images.pngBomb(width, height));
export const pngCutInHeader = (): Buffer => asBuffer(images.pngCutInHeader());
export const pngWithGarbageIdat = (width: number, height: number): Buffer =>
  asBuffer(images.pngWithGarbageIdat(width, height));
export const jpegCutMidScan = async (width: number, height: number): Promise<Buffer> =>
  asBuffer(images.jpegCutMidScan(width, height));
export const gif1x1 = (): Buffer => asBuffer(images.gif1x1());
export const svgImage = (width: number, height: number): Buffer => asBuffer(images.svgImage(width, height));

export async function solidPng(width: number, height: number, tint = 120): Promise<Buffer> {
  return asBuffer(images.pngImage(width, height, { color: { r: tint, g: 90, b: 200 - tint } }));
}

/** A real PNG padded to exactly `bytes` bytes: readable, just too large. */
export async function paddedPng(bytes: number): Promise<Buffer> {
  return asBuffer(images.pngImage(640, 360, { color: { r: 30, g: 90, b: 170 }, padToBytes: bytes }));
}

/**
 * Pictures a fix can mend (frame-fixes.spec.ts). A gradient whose red channel follows x (red across), so a
 * crop's position can be read back from the pixels the simulator received.
 */
export const gradientPng = (width: number, height: number): Buffer =>
  asBuffer(images.pngImage(width, height));

/**
 * A photo-like PNG over the size limit: a gradient with per-pixel grain, which PNG's filters cannot
 * squeeze (2800×1900 ≈ 12.7 MB), as a camera picture saved as PNG would be. Deterministic.
 */
export function grainyPng(width = 2800, height = 1900): Buffer {
  const grain = images.randomBytes(width * height, 7);
  return asBuffer(
    images.pngImage(width, height, {
      pixel: (x, y) => {
        const n = grain[y * width + x]! >> 2;
        return [((x * 255) / width + n) & 255, ((y * 255) / height + n) & 255, (128 + n) & 255];
      },
    }),
  );
}

/** A directory under e2e/.tmp/ for one worker's files (workers generate in parallel). */
export function corpusDir(tag: string): {
  dir: string;
  write(name: string, bytes: Buffer): string;
  remove(): void;
} {
  const dir = join(new URL('..', import.meta.url).pathname, '.tmp', `bad-input-${tag}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return {
    dir,
    write(name, bytes) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
