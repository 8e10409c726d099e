/**
 * Reads an image's format and dimensions from its header bytes, without decoding pixels.
 * That is what makes a decompression bomb (a tiny file declaring 60 000 × 60 000) cheap to refuse,
 * and what lets the browser and the backend apply the same image rules to the same facts.
 */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'svg' | 'unknown';

export interface ImageFacts {
  format: ImageFormat;
  bytes: number;
  /** 0 when the header could not be read. */
  width: number;
  height: number;
}

/** How many leading bytes sniffing needs at most (JPEG's SOF can sit behind large EXIF blocks). */
export const SNIFF_BYTES = 1024 * 1024;

function u16be(b: Uint8Array, i: number) {
  return (b[i]! << 8) | b[i + 1]!;
}
function u32be(b: Uint8Array, i: number) {
  return ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
}

export function sniffFormat(b: Uint8Array): ImageFormat {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 4 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return 'gif';
  if (b.length >= 12 && b[0] === 0x52 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42) return 'webp';
  const head = new TextDecoder().decode(b.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'svg';
  return 'unknown';
}

function pngSize(b: Uint8Array): [number, number] {
  // Signature (8) + IHDR length (4) + "IHDR" (4), then width and height.
  if (b.length < 24 || String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!) !== 'IHDR') return [0, 0];
  return [u32be(b, 16), u32be(b, 20)];
}

function jpegSize(b: Uint8Array): [number, number] {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return [0, 0];
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    // Standalone markers carry no length.
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const len = u16be(b, i + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return [u16be(b, i + 7), u16be(b, i + 5)];
    }
    if (marker === 0xda || len < 2) return [0, 0];
    i += 2 + len;
  }
  return [0, 0];
}

/** Facts from the leading bytes; `totalBytes` is the whole file's size when only a prefix is given. */
export function sniffImage(head: Uint8Array, totalBytes = head.length): ImageFacts {
  const format = sniffFormat(head);
  const [width, height] = format === 'png' ? pngSize(head) : format === 'jpeg' ? jpegSize(head) : [0, 0];
  return { format, bytes: totalBytes, width, height };
}
