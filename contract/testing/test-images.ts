import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { decodeBase64Prefix, encodeBase64 } from '../images/base64.ts';

/**
 * Every image the test suites use, in one place (browser, Node and Playwright alike: no Node
 * built-ins, no DOM). Valid images are real, decodable files (fast-png, jpeg-js), because the
 * backend decodes what it is sent; header-only fakes are for tests about headers alone; the broken
 * ones are each damaged in exactly one way.
 */

export type Rgb = readonly [r: number, g: number, b: number];

export interface PixelOptions {
  /** One colour for every pixel. */
  color?: { r: number; g: number; b: number };
  /** The colour of pixel (x, y). */
  pixel?: (x: number, y: number) => Rgb;
  /** Random pixels from this seed: incompressible, so the file is about as large as its pixels. */
  noise?: number;
  /** Without color, pixel or noise: a diagonal gradient (red across, green down) with this blue. */
  blue?: number;
}

export interface PngOptions extends PixelOptions {
  /** Pads the file with a tEXt chunk to exactly this many bytes (for the size rules). */
  padToBytes?: number;
}

/** Deterministic pseudo-random bytes (an LCG), so a failing test fails the same way every run. */
export function randomBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s >>> 16;
  }
  return out;
}

function pixels(width: number, height: number, opts: PixelOptions, channels: 3 | 4): Uint8Array {
  if (opts.noise !== undefined) {
    const data = randomBytes(width * height * channels, opts.noise);
    if (channels === 4) for (let i = 3; i < data.length; i += 4) data[i] = 255;
    return data;
  }
  const { color } = opts;
  const blue = opts.blue ?? 128;
  const pixel: (x: number, y: number) => Rgb =
    opts.pixel ??
    (color ? () => [color.r, color.g, color.b] : (x, y) => [(x * 255) / width, (y * 255) / height, blue]);
  const data = new Uint8Array(width * height * channels);
  let o = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      data[o] = r;
      data[o + 1] = g;
      data[o + 2] = b;
      if (channels === 4) data[o + 3] = 255;
      o += channels;
    }
  return data;
}

/** A real 8-bit RGB PNG. */
export function pngImage(width: number, height: number, opts: PngOptions = {}): Uint8Array {
  const image = { width, height, data: pixels(width, height, opts, 3), channels: 3, depth: 8 as const };
  const png = encodePng(image);
  // A tEXt chunk costs 12 bytes of framing plus "Comment\0".
  const fill = opts.padToBytes === undefined ? -1 : opts.padToBytes - png.length - 20;
  if (fill < 0) return png;
  return encodePng({ ...image, text: { Comment: 'x'.repeat(fill) } });
}

/** A real baseline JPEG. */
export function jpegImage(
  width: number,
  height: number,
  opts: PixelOptions & { quality?: number } = {},
): Uint8Array {
  const { data } = encodeJpeg({ width, height, data: pixels(width, height, opts, 4) }, opts.quality ?? 80);
  return new Uint8Array(data);
}

/**
 * A real 8-bit greyscale PNG, one byte a pixel: how the motion brush writes its masks. `value` gives
 * each pixel's grey (0 black by default).
 */
export function grayPng(width: number, height: number, value: (x: number, y: number) => number = () => 0) {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return encodePng({ width, height, data, channels: 1, depth: 8 });
}

/** A mask: white inside the rectangle, black elsewhere. */
export const maskPng = (
  width: number,
  height: number,
  rect: { x: number; y: number; w: number; h: number },
) =>
  grayPng(width, height, (x, y) =>
    x >= rect.x && x < rect.x + rect.w && y >= rect.y && y < rect.y + rect.h ? 255 : 0,
  );

export const jpegImageBase64 = (width: number, height: number, opts?: PixelOptions) =>
  encodeBase64(jpegImage(width, height, opts));

// ---------------------------------------------------------------------------------------------
// Header-only fakes: enough for sniffImage to read format and dimensions, nothing a decoder accepts.
// The contract's rules look at headers, never pixels, so these keep table-driven tests cheap.

export function pngHeader(width: number, height: number, totalBytes = 64): Uint8Array {
  const b = new Uint8Array(Math.max(totalBytes, 33));
  b.set([...PNG_SIGNATURE, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const dv = new DataView(b.buffer);
  dv.setUint32(16, width);
  dv.setUint32(20, height);
  b.set([8, 6, 0, 0, 0], 24);
  return b;
}

export function jpegHeader(width: number, height: number): Uint8Array {
  // SOI, an APP0 (JFIF) segment, then SOF0 with height and width.
  const app0 = [
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00,
  ];
  const sof = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
}

/** A GIF89a header with a size: a real format Kling refuses. */
export function gifHeader(width: number, height: number): Uint8Array {
  return new Uint8Array([
    0x47,
    0x49,
    0x46,
    0x38,
    0x39,
    0x61,
    width & 0xff,
    width >> 8,
    height & 0xff,
    height >> 8,
    0,
    0,
    0,
    0x3b,
  ]);
}

export const pngHeaderBase64 = (width: number, height: number, totalBytes?: number) =>
  encodeBase64(pngHeader(width, height, totalBytes));
export const jpegHeaderBase64 = (width: number, height: number) => encodeBase64(jpegHeader(width, height));

// ---------------------------------------------------------------------------------------------
// Other formats and non-images.

/** A whole 1×1 GIF (the classic transparent pixel). */
export const gif1x1 = (): Uint8Array =>
  decodeBase64Prefix('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==');

/** An SVG of the given size: an image, but not one Kling reads. */
export const svgImage = (width: number, height: number): Uint8Array =>
  new TextEncoder().encode(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}"/></svg>`,
  );

/** Some words: no image at all. */
export const textFile = (text = 'this is certainly not an image, just some words'): Uint8Array =>
  new TextEncoder().encode(text);

// ---------------------------------------------------------------------------------------------
// Broken images, each damaged in one way. Hand-made chunks need their CRC: the one CRC-32 of the
// test images (fast-png writes its own for the real ones).

export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** One PNG chunk: length, type, data, and the CRC over type and data. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** IHDR's 13 data bytes. colour: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA; interlace 1 is Adam7. */
export function pngIhdr(width: number, height: number, depth = 8, colour = 2, interlace = 0): Uint8Array {
  const b = new Uint8Array(13);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  b.set([depth, colour, 0, 0, interlace], 8);
  return b;
}

/** Signature, the given IHDR, one IDAT holding `idat`, IEND: every framing check passes, whatever the data. */
export const pngWithIdat = (ihdr: Uint8Array, idat: Uint8Array): Uint8Array =>
  concatBytes([
    new Uint8Array(PNG_SIGNATURE),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', new Uint8Array(0)),
  ]);

/** The data of a PNG's first IDAT chunk. */
export function pngIdatData(png: Uint8Array): Uint8Array {
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let i = 8; i + 8 <= png.length; i += 12 + dv.getUint32(i)) {
    if (String.fromCharCode(...png.subarray(i + 4, i + 8)) === 'IDAT')
      return png.subarray(i + 8, i + 8 + dv.getUint32(i));
  }
  throw new Error('no IDAT chunk');
}

/** Signature and the first 6 bytes of IHDR's framing: cut off inside its header. */
export const pngCutInHeader = (): Uint8Array => new Uint8Array([...PNG_SIGNATURE, 0, 0, 0, 13, 0x49, 0x48]);

/**
 * A decompression bomb's shape: a well-formed PNG of a few hundred bytes (valid CRCs) whose IHDR
 * declares width×height (60 000² RGB would be 10.8 GB decoded). The IDAT holds 1 KB of zeros, so
 * nothing could decode it in full anyway: it must be refused from the header.
 */
export function pngBomb(width = 60_000, height = 60_000): Uint8Array {
  // 1023 grey pixels plus the row's filter byte: 1024 zero bytes, deflated by fast-png.
  const zeros = encodePng({ width: 1023, height: 1, data: new Uint8Array(1023), channels: 1, depth: 8 });
  return pngWithIdat(pngIhdr(width, height), pngIdatData(zeros));
}

/** A width×height RGB PNG whose IDAT is random bytes: signature, IHDR and every CRC right, the pixels unreadable. */
export function pngWithGarbageIdat(width: number, height: number): Uint8Array {
  return pngWithIdat(
    pngIhdr(width, height),
    randomBytes(Math.max(1024, (width * height) >> 4), width * 7919 + height),
  );
}

/** A real width×height JPEG cut 40 bytes into its scan data, `FF D9` appended: SOI to EOI, but the scan stops early. */
export function jpegCutMidScan(width: number, height: number): Uint8Array {
  // Noise, so the scan is far longer than 40 bytes.
  const jpeg = jpegImage(width, height, { noise: width * height, quality: 90 });
  const segmentLength = (at: number) => (jpeg[at + 2]! << 8) | jpeg[at + 3]!;
  let sos = 2;
  while (!(jpeg[sos] === 0xff && jpeg[sos + 1] === 0xda)) sos += 2 + segmentLength(sos);
  const scanStart = sos + 2 + segmentLength(sos);
  return concatBytes([jpeg.subarray(0, scanStart + 40), new Uint8Array([0xff, 0xd9])]);
}
