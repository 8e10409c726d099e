import { LIMITS } from '../../../../contract/limits.ts';

/**
 * The maths of "Compress": the best JPEG quality whose file fits the limit, found by binary search over
 * fixed quality steps; only when even the lowest step is too big is the picture scaled down (and the
 * search run again at the new size). The encoder is passed in, so the search is tested without a canvas.
 */

/** Ascending. Below 0.4 JPEG artefacts show on any picture; above 0.95 files grow with no visible gain. */
export const QUALITY_STEPS = [0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95] as const;

/** Scale rounds at most: each shrinks by the measured overshoot, so one or two are the rule. */
const MAX_SCALE_ROUNDS = 4;
/** Aim below the estimate: JPEG size does not fall exactly with the pixel count. */
const SCALE_MARGIN = 0.9;

export interface Attempt {
  quality: number;
  scale: number;
  bytes: number;
}

export type Encode<T extends { size: number }> = (quality: number, scale: number) => Promise<T>;

export type CompressResult<T> =
  | { ok: true; encoded: T; quality: number; scale: number; attempts: Attempt[] }
  | { ok: false; attempts: Attempt[] };

export interface CompressOptions {
  limitBytes?: number;
  /** The smallest scale allowed (the picture must keep the rules' minimum side). */
  minScale?: number;
}

/** The smallest scale that keeps both sides of a width×height picture at the rules' minimum. */
export function minCompressScale(width: number, height: number): number {
  return Math.min(1, LIMITS.imageMinSide / Math.min(width, height));
}

export async function searchCompression<T extends { size: number }>(
  encode: Encode<T>,
  opts: CompressOptions = {},
): Promise<CompressResult<T>> {
  const limit = opts.limitBytes ?? LIMITS.imageMaxBytes;
  const minScale = opts.minScale ?? 0;
  const attempts: Attempt[] = [];
  const tryAt = async (quality: number, scale: number) => {
    const encoded = await encode(quality, scale);
    attempts.push({ quality, scale, bytes: encoded.size });
    return encoded;
  };

  let scale = 1;
  for (let round = 0; round < MAX_SCALE_ROUNDS; round++) {
    const top = QUALITY_STEPS.length - 1;
    // Most pictures fit at the best step: one encode.
    const best = await tryAt(QUALITY_STEPS[top]!, scale);
    if (best.size <= limit) return { ok: true, encoded: best, quality: QUALITY_STEPS[top]!, scale, attempts };
    // Invariant: step `hi` does not fit; every step up to `lo` fits (lo = -1: none known).
    let lo = -1;
    let hi = top;
    let fitting: T | undefined;
    let lowest: T | undefined;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      const encoded = await tryAt(QUALITY_STEPS[mid]!, scale);
      if (mid === 0) lowest = encoded;
      if (encoded.size <= limit) {
        lo = mid;
        fitting = encoded;
      } else hi = mid;
    }
    if (fitting) return { ok: true, encoded: fitting, quality: QUALITY_STEPS[lo]!, scale, attempts };
    // Even the lowest step is too big: shrink by the overshoot (bytes follow the pixel count, the square).
    const overshoot = lowest!.size / limit;
    const next = Math.max(minScale, scale * Math.sqrt(1 / overshoot) * SCALE_MARGIN);
    if (next >= scale) break;
    scale = next;
  }
  return { ok: false, attempts };
}
