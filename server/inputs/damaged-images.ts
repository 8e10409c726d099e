import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/**
 * Test support until contract/testing/test-images.ts lands with the same two generators: files whose
 * headers, framing and CRCs are all valid but whose picture data is damaged (security review #5).
 */

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([len, typeAndData, crc]);
}

/** A w×h RGB PNG whose IDAT is random bytes: every chunk's CRC is right, the pixels cannot be read. */
export function pngWithGarbageIdat(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  let seed = w * 7919 + h;
  const garbage = Buffer.alloc(Math.max(1024, (w * h) >> 4));
  for (let i = 0; i < garbage.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    garbage[i] = seed & 0xff;
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', garbage),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real w×h JPEG cut 40 bytes into its scan, with `FFD9` appended: SOI to EOI, but the scan stops early. */
export async function jpegCutMidScan(w: number, h: number): Promise<Buffer> {
  const pixels = Buffer.alloc(w * h * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + (i >> 9)) & 0xff;
  const jpeg = await sharp(pixels, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  let sos = 2;
  while (!(jpeg[sos] === 0xff && jpeg[sos + 1] === 0xda)) sos += 2 + jpeg.readUInt16BE(sos + 2);
  const scanStart = sos + 2 + jpeg.readUInt16BE(sos + 2);
  return Buffer.concat([jpeg.subarray(0, scanStart + 40), Buffer.from([0xff, 0xd9])]);
}
