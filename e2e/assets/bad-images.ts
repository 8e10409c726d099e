import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

/**
 * The bad-input corpus as files on disk: generated at test time into e2e/.tmp/ (git-ignored), never
 * committed. Each file is named the way a creator's file would be, so the picker sees a real name and
 * the browser a real File; the bytes are what the rules judge.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([len, typeAndData, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A decompression bomb's shape: a well-formed PNG (signature, IHDR with valid CRC, IDAT, IEND) of a few
 * hundred bytes whose header declares `width`×`height` (60 000² RGB would be 10.8 GB decoded). The
 * IDAT holds 1 KB of zeros, so nothing could decode it in full anyway: it must be refused from the header.
 */
export function pngBomb(width = 60_000, height = 60_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter method variants, no interlace
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export async function solidPng(width: number, height: number, tint = 120): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: tint, g: 90, b: 200 - tint } } })
    .png()
    .toBuffer();
}

/** A real PNG padded after IEND to exactly `bytes` bytes: readable, just too large. */
export async function paddedPng(bytes: number): Promise<Buffer> {
  const png = await solidPng(640, 360, 30);
  return Buffer.concat([png, Buffer.alloc(bytes - png.length)]);
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
