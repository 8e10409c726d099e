/**
 * Just enough PNG for masks, in pure TS over the platform's zlib (CompressionStream), so export and
 * persistence run the same in the browser and in Node tests, and never go through a canvas (which
 * would premultiply, colour-manage or smooth what must stay exactly 0 or 255).
 *
 * Encode: 8-bit greyscale, no interlace — every decoder reads it. Decode: 8-bit greyscale, grey+alpha,
 * RGB, RGBA and palette, all five row filters; anything else throws UnsupportedPng so the caller can
 * fall back to the browser's decoder.
 */

export class UnsupportedPng extends Error {}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, crc = 0xffffffff): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return c;
}

async function pipe(
  bytes: Uint8Array,
  transform: { readable: ReadableStream<Uint8Array>; writable: WritableStream<BufferSource> },
): Promise<Uint8Array> {
  const source = new ReadableStream<BufferSource>({
    start(controller) {
      controller.enqueue(bytes as Uint8Array<ArrayBuffer>);
      controller.close();
    },
  });
  const reader = source.pipeThrough(transform).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, (crc32(out.subarray(4, 8 + data.length)) ^ 0xffffffff) >>> 0);
  return out;
}

/** A greyscale PNG of `gray` (width × height bytes, row-major). */
export async function encodeGrayPng(width: number, height: number, gray: Uint8Array): Promise<Uint8Array> {
  if (gray.length !== width * height) throw new Error(`expected ${width * height} bytes, got ${gray.length}`);
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(gray.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const idat = await pipe(raw, new CompressionStream('deflate'));
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 0, 0, 0, 0], 8); // bit depth 8, greyscale, deflate, adaptive filters, no interlace
  const parts = [
    Uint8Array.from(SIGNATURE),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export interface GrayImage {
  width: number;
  height: number;
  /** One byte per pixel: luminance × alpha (white on black → 255 where the mask is). */
  gray: Uint8Array;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Decodes a PNG to one byte per pixel (see GrayImage). */
export async function decodePngGray(bytes: Uint8Array): Promise<GrayImage> {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new UnsupportedPng('not a PNG');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = 0;
  let interlace = 0;
  let palette: Uint8Array | undefined;
  let paletteAlpha: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  for (let o = 8; o + 8 <= bytes.length; ) {
    const len = view.getUint32(o);
    const type = String.fromCharCode(bytes[o + 4]!, bytes[o + 5]!, bytes[o + 6]!, bytes[o + 7]!);
    const data = bytes.subarray(o + 8, o + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(o + 8);
      height = view.getUint32(o + 12);
      depth = data[8]!;
      colorType = data[9]!;
      interlace = data[12]!;
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') paletteAlpha = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    o += 12 + len;
  }
  const channels = CHANNELS[colorType];
  if (!width || !height || depth !== 8 || interlace !== 0 || channels === undefined)
    throw new UnsupportedPng(`PNG variant not handled here (depth ${depth}, colour type ${colorType})`);
  const joined = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
  let jo = 0;
  for (const d of idat) {
    joined.set(d, jo);
    jo += d.length;
  }
  const raw = await pipe(joined, new DecompressionStream('deflate'));
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) throw new UnsupportedPng('truncated image data');
  const gray = new Uint8Array(width * height);
  let prev = new Uint8Array(stride);
  let cur = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    unfilter(filter, row, prev, cur, channels);
    for (let x = 0; x < width; x++) gray[y * width + x] = pixelGray(cur, x, colorType, palette, paletteAlpha);
    [prev, cur] = [cur, prev];
  }
  return { width, height, gray };
}

function unfilter(f: number, row: Uint8Array, prev: Uint8Array, out: Uint8Array, bpp: number): void {
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? out[i - bpp]! : 0;
    const b = prev[i]!;
    const c = i >= bpp ? prev[i - bpp]! : 0;
    const x = row[i]!;
    let v: number;
    if (f === 0) v = x;
    else if (f === 1) v = x + a;
    else if (f === 2) v = x + b;
    else if (f === 3) v = x + ((a + b) >> 1);
    else if (f === 4) {
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    } else throw new UnsupportedPng(`bad filter ${f}`);
    out[i] = v & 0xff;
  }
}

function pixelGray(
  row: Uint8Array,
  x: number,
  colorType: number,
  palette: Uint8Array | undefined,
  paletteAlpha: Uint8Array | undefined,
): number {
  let r: number;
  let g: number;
  let b: number;
  let a = 255;
  if (colorType === 0) r = g = b = row[x]!;
  else if (colorType === 4) {
    r = g = b = row[2 * x]!;
    a = row[2 * x + 1]!;
  } else if (colorType === 3) {
    const i = row[x]!;
    if (!palette) throw new UnsupportedPng('palette image without PLTE');
    r = palette[3 * i] ?? 0;
    g = palette[3 * i + 1] ?? 0;
    b = palette[3 * i + 2] ?? 0;
    a = paletteAlpha?.[i] ?? 255;
  } else {
    const n = colorType === 6 ? 4 : 3;
    r = row[n * x]!;
    g = row[n * x + 1]!;
    b = row[n * x + 2]!;
    if (n === 4) a = row[n * x + 3]!;
  }
  return Math.round(((0.299 * r + 0.587 * g + 0.114 * b) * a) / 255);
}

/** Gray → binary mask bytes: the export's single threshold, shared by every decode path. */
export function toBinary(gray: Uint8Array): Uint8Array {
  const out = new Uint8Array(gray.length);
  for (let i = 0; i < gray.length; i++) out[i] = gray[i]! >= 128 ? 255 : 0;
  return out;
}
