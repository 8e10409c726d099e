import { crc32 } from 'node:zlib';

/**
 * Is the file whole, as its encoder wrote it? A PNG's every chunk carries a CRC and the file ends with
 * IEND; a JPEG runs from SOI through its segments to an EOI. Checking that catches what really breaks
 * uploads (truncation, corruption in transit, bytes spliced together) without decoding a pixel, which
 * keeps a full image decode off every create: the pixels are decoded once, later, for the thumbnail.
 */
export function isStructurallyIntact(bytes: Uint8Array, format: 'png' | 'jpeg'): boolean {
  return format === 'png' ? pngIntact(bytes) : jpegIntact(bytes);
}

function pngIntact(b: Uint8Array): boolean {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 8;
  let sawIdat = false;
  let first = true;
  while (i + 12 <= b.length) {
    const len = dv.getUint32(i);
    const end = i + 12 + len;
    if (end > b.length) return false;
    const type = String.fromCharCode(b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
    if (first && type !== 'IHDR') return false;
    first = false;
    if (crc32(b.subarray(i + 4, i + 8 + len)) !== dv.getUint32(i + 8 + len)) return false;
    if (type === 'IDAT') sawIdat = true;
    if (type === 'IEND') return sawIdat;
    i = end;
  }
  return false;
}

function jpegIntact(b: Uint8Array): boolean {
  if (b[0] !== 0xff || b[1] !== 0xd8) return false;
  // Some encoders pad after EOI; the last marker that matters is FFD9.
  let last = b.length - 1;
  while (last > 1 && b[last] === 0x00) last--;
  if (b[last - 1] !== 0xff || b[last] !== 0xd9) return false;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return false;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xda) return true; // start of scan: entropy-coded data runs to EOI, checked above
    if (marker === 0xd9) return false; // EOI before any scan
    if (marker >= 0xd0 && marker <= 0xd7) {
      i += 2;
      continue;
    }
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    if (len < 2) return false;
    i += 2 + len;
  }
  return false;
}
