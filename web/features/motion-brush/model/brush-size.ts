import type { Size } from './types.ts';

export const BRUSH_MIN = 1;
/** The most any brush can be, whatever the frame (a setting restored from an old draft is clamped to it). */
export const BRUSH_MAX = 1000;

/** The slider's top: a quarter of the frame's longer side, never under 100 px (a small frame still gets a big brush). */
export function brushMaxFor(size: Size | null): number {
  if (!size) return 100;
  return Math.min(BRUSH_MAX, Math.max(100, Math.round(Math.max(size.width, size.height) / 4)));
}

/**
 * The sizes `[` and `]` stop at: round numbers about 10–25 % apart (1–10 by 1, then 12…20 by 2, 25…50 by 5,
 * 60…100 by 10, 120…200 by 20, 250…500 by 50, 600…1000 by 100), so each press is a visible change and the
 * label reads like a size someone would choose.
 */
const LADDER: readonly number[] = (() => {
  const bands: [upTo: number, step: number][] = [
    [10, 1],
    [20, 2],
    [50, 5],
    [100, 10],
    [200, 20],
    [500, 50],
    [BRUSH_MAX, 100],
  ];
  const out: number[] = [];
  let last = BRUSH_MIN - 1;
  for (const [upTo, step] of bands) {
    for (let s = last + step; s <= upTo; s += step) out.push(s);
    last = out[out.length - 1]!;
  }
  return out;
})();

/**
 * The brush size one `]` (direction 1) or `[` (-1) away from `size`, within `BRUSH_MIN`…`max` (the slider's
 * range): the next stop on the ladder, or `max` itself as the last stop. A size off the ladder (dragged on
 * the slider) goes to the nearest stop in that direction; one above `max` (a smaller frame came in) stays
 * where it is on `]` and comes back to `max` on `[`.
 */
export function stepBrushSize(size: number, direction: -1 | 1, max: number): number {
  const top = Math.max(BRUSH_MIN, Math.min(BRUSH_MAX, Math.round(max)));
  const stops = [...LADDER.filter((s) => s < top), top];
  if (direction > 0) return stops.find((s) => s > size) ?? Math.max(size, top);
  const below = stops.filter((s) => s < size);
  return Math.min(top, below[below.length - 1] ?? BRUSH_MIN);
}
