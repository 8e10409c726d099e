import { inflateSync } from 'node:zlib';
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

/**
 * The least any decoder must do: inflate the PNG's IDAT stream (node:zlib, native). fast-png replaced the
 * brush's hand-written decoder after measuring 134 ms against 385 ms on this mask (commit 160035b); the
 * old decoder is not kept as a second copy here, so the row measures fast-png against this floor instead.
 */
function inflateIdat(png: Uint8Array): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const parts: Uint8Array[] = [];
  for (let o = 8; o + 8 <= png.length; ) {
    const len = view.getUint32(o);
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    if (type === 'IDAT') parts.push(png.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  return inflateSync(Buffer.concat(parts));
}

/**
 * The motion brush's mask PNG codec on a 4096² mask, in the same run. Encode: fast-png ÷ the hand-written
 * encoder (above 1: fast-png is slower), whose goal holds the choice made in
 * web/features/motion-brush/model/png.ts to encode by hand, so a run where it flips shows as a MISS.
 * Decode: fast-png over the bare inflate of the same data (reported).
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
    () => inflateIdat(png),
  );
  const row = (
    metric: string,
    s: { a: number[]; b: number[] },
    goal: { max?: number; min?: number } | null,
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
      samples: { fastPng: s.a, baseline: s.b },
    });
  return [
    row(
      'encode 4096² mask PNG, fast-png vs hand-written (ms)',
      enc,
      { min: 1 },
      `fast-png encode (fflate in JS, level 3) vs encodeGrayPng (platform CompressionStream), 8-bit grey, median of ${ROUNDS} interleaved`,
    ),
    row(
      'decode 4096² mask PNG, fast-png over the inflate floor (ms)',
      dec,
      null,
      `decodePngGray (fast-png + grey conversion) vs node:zlib inflate of the same IDAT alone (what any decoder must do), median of ${ROUNDS} interleaved`,
    ),
  ];
}
