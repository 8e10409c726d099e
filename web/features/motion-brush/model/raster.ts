import type { Pt, Rect } from './types.ts';

/**
 * Hard-edged rasterisation of a round-capped brush segment ("capsule"). Masks are binary for Kling, so
 * the brush paints exactly the pixels the export will contain: a pixel is in when its centre lies within
 * `radius` of the segment. Pure arithmetic, so it is identical in every browser and testable in Node.
 */

/** The x-interval (continuous coordinates) where the horizontal line y = yc crosses the capsule. */
export function capsuleSpan(a: Pt, b: Pt, radius: number, yc: number): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const disc = (c: Pt) => {
    const dy = yc - c.y;
    const q = radius * radius - dy * dy;
    if (q < 0) return;
    const dx = Math.sqrt(q);
    lo = Math.min(lo, c.x - dx);
    hi = Math.max(hi, c.x + dx);
  };
  disc(a);
  disc(b);
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  if (len2 > 0) {
    // With u = x − a.x, the band between the caps is two linear constraints on u:
    // projection t = (u·dx + (yc−a.y)·dy) / len² ∈ [0, 1], and signed distance
    // (dx·(yc−a.y) − dy·u) / len ∈ [−r, r]. The union of the band and both discs is convex, so the
    // union of their intervals is one interval.
    const len = Math.sqrt(len2);
    const ry = yc - a.y;
    let uLo = Number.NEGATIVE_INFINITY;
    let uHi = Number.POSITIVE_INFINITY;
    const within = (m: number, p: number, q: number) => {
      // m·u ∈ [p, q]
      if (m === 0) {
        if (p > 0 || q < 0) uLo = Number.POSITIVE_INFINITY;
        return;
      }
      const u1 = p / m;
      const u2 = q / m;
      uLo = Math.max(uLo, Math.min(u1, u2));
      uHi = Math.min(uHi, Math.max(u1, u2));
    };
    within(dx, -ry * dy, len2 - ry * dy);
    within(dy, dx * ry - radius * len, dx * ry + radius * len);
    if (uLo <= uHi) {
      lo = Math.min(lo, a.x + uLo);
      hi = Math.max(hi, a.x + uHi);
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** The pixel rectangle a capsule can touch, clipped to the bitmap; null when entirely outside. */
export function capsuleBounds(a: Pt, b: Pt, radius: number, width: number, height: number): Rect | null {
  const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - radius));
  const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - radius));
  const x1 = Math.min(width, Math.ceil(Math.max(a.x, b.x) + radius) + 1);
  const y1 = Math.min(height, Math.ceil(Math.max(a.y, b.y) + radius) + 1);
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Calls `fill(y, x0, x1)` for each pixel row the capsule covers, with the half-open pixel columns
 * [x0, x1) whose centres lie inside it, clipped to the bitmap.
 */
export function forEachCapsuleRow(
  a: Pt,
  b: Pt,
  radius: number,
  width: number,
  height: number,
  fill: (y: number, x0: number, x1: number) => void,
): Rect | null {
  const r = Math.max(0.5, radius);
  const bounds = capsuleBounds(a, b, r, width, height);
  if (!bounds) return null;
  for (let y = bounds.y; y < bounds.y + bounds.height; y++) {
    const span = capsuleSpan(a, b, r, y + 0.5);
    if (!span) continue;
    const x0 = Math.max(0, Math.ceil(span[0] - 0.5));
    const x1 = Math.min(width, Math.floor(span[1] - 0.5) + 1);
    if (x1 > x0) fill(y, x0, x1);
  }
  return bounds;
}

export function unionRect(a: Rect | null, b: Rect | null): Rect | null {
  if (!a) return b;
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}
