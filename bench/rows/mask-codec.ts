import { encode } from 'fast-png';
import { decodePngGray, encodeGrayPng } from '../../web/features/motion-brush/model/png.ts';
import { type RowResult, ratioRow } from '../lib/row.ts';
import { median } from '../lib/stats.ts';

const SIDE = 4096;
const ROUNDS = 5;

/** A 4096² mask as the brush paints it: a few solid discs, 0 or 255, mostly empty. */
function paintedMask(): Uint8Array {
  const gray = new Uint8Array(SIDE * SIDE);
  const discs = [
    [0.3, 0.6, 0.12],
    [0.7, 0.4, 0.08],
    [0.5, 0.2, 0.05],
  ] as const;
  for (const [cx, cy, r] of discs) {
    const x0 = cx * SIDE;
    const y0 = cy * SIDE;
    const rr = (r * SIDE) ** 2;
    for (let y = Math.floor(y0 - r * SIDE); y <= y0 + r * SIDE; y++)
      for (let x = Math.floor(x0 - r * SIDE); x <= x0 + r * SIDE; x++)
        if ((x - x0) ** 2 + (y - y0) ** 2 <= rr) gray[y * SIDE + x] = 255;
  }
  return gray;
}

/** Runs a and b alternately, so drift on a shared machine hits both alike; milliseconds per call. */
async function interleaved(a: () => unknown, b: () => unknown): Promise<{ a: number[]; b: number[] }> {
  const out = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const [fn, into] of [
      [a, out.a],
      [b, out.b],
    ] as const) {
      const t0 = performance.now();
      await fn();
      into.push(performance.now() - t0);
    }
  }
  return out;
}

// ── The brush's hand-written decoder before fast-png replaced it (commit 4e30759), kept as it was here
// only as this row's baseline, so every run re-checks that the library is still the faster one. ──────

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

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

async function handWrittenDecode(
  bytes: Uint8Array,
): Promise<{ width: number; height: number; gray: Uint8Array }> {
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
    throw new Error(`PNG variant not handled here (depth ${depth}, colour type ${colorType})`);
  const joined = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
  let jo = 0;
  for (const d of idat) {
    joined.set(d, jo);
    jo += d.length;
  }
  const raw = await pipe(joined, new DecompressionStream('deflate'));
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) throw new Error('truncated image data');
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
    } else throw new Error(`bad filter ${f}`);
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
    if (!palette) throw new Error('palette image without PLTE');
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

/**
 * The motion brush's mask PNG codec on a 4096² mask, fast-png vs hand-written code, in the same run.
 * Each ratio is fast-png ÷ hand-written (above 1: fast-png is slower). The goals hold the choice made in
 * web/features/motion-brush/model/png.ts — decode with fast-png, encode by hand — so a run where either
 * flips shows as a MISS.
 */
export async function maskCodecRows(): Promise<RowResult[]> {
  const gray = paintedMask();
  const png = await encodeGrayPng(SIDE, SIDE, gray);
  const enc = await interleaved(
    () => encode({ width: SIDE, height: SIDE, data: gray, depth: 8, channels: 1 }),
    () => encodeGrayPng(SIDE, SIDE, gray),
  );
  const dec = await interleaved(
    () => decodePngGray(png),
    () => handWrittenDecode(png),
  );
  const row = (
    metric: string,
    s: { a: number[]; b: number[] },
    goal: { max?: number; min?: number },
    how: string,
  ) =>
    ratioRow({
      row: 'mask_codec',
      metric,
      value: median(s.a),
      baseline: median(s.b),
      unit: 'ms',
      goal,
      how,
      samples: { fastPng: s.a, handWritten: s.b },
    });
  return [
    row(
      'encode 4096² mask PNG, fast-png vs hand-written (ms)',
      enc,
      { min: 1 },
      `fast-png encode (fflate in JS, level 3) vs encodeGrayPng (platform CompressionStream), 8-bit grey, median of ${ROUNDS} interleaved`,
    ),
    row(
      'decode 4096² mask PNG, fast-png vs hand-written (ms)',
      dec,
      { max: 1 },
      `decodePngGray (fast-png + grey conversion) vs the former hand-written decoder (DecompressionStream + JS unfilter), same PNG, median of ${ROUNDS} interleaved`,
    ),
  ];
}
