/**
 * Motion-brush paths. Kling's trajectories are in the start frame's native pixels with the origin at
 * the bottom-left (y up); everything drawn here works top-left (y down) in output pixels.
 */
import type { Size } from './frame-geometry.ts';

export interface Point {
  x: number;
  y: number;
}

/** API point (bottom-left origin, native image pixels) to a top-left point in output pixels. */
export function apiPointToOutput(point: Point, image: Size, output: Size): Point {
  return {
    x: point.x * (output.width / image.width),
    y: (image.height - point.y) * (output.height / image.height),
  };
}

/**
 * The point at `fraction` (0..1) of the polyline's length. Parameterising by arc length (not by point
 * index) keeps the speed constant when a client samples the stroke unevenly, which hand-drawn paths do.
 */
export function pointAtArcFraction(points: readonly Point[], fraction: number): Point {
  const first = points[0];
  if (!first) throw new RangeError('a trajectory needs at least one point');
  const f = Math.min(1, Math.max(0, fraction));
  const segmentLengths: number[] = [];
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    segmentLengths.push(length);
    total += length;
  }
  // A path that never leaves its first point (or a single point) means "stay put".
  if (total === 0) return { ...first };
  let remaining = f * total;
  for (let i = 0; i < segmentLengths.length; i++) {
    const length = segmentLengths[i]!;
    const a = points[i]!;
    const b = points[i + 1]!;
    if (remaining <= length && length > 0) {
      const u = remaining / length;
      return { x: a.x + (b.x - a.x) * u, y: a.y + (b.y - a.y) * u };
    }
    remaining -= length;
  }
  return { ...points[points.length - 1]! };
}

/** How far the masked region has travelled from where it started, at motion progress `fraction`. */
export function offsetAtProgress(points: readonly Point[], fraction: number): Point {
  const start = points[0];
  if (!start) throw new RangeError('a trajectory needs at least one point');
  const at = pointAtArcFraction(points, fraction);
  return { x: at.x - start.x, y: at.y - start.y };
}
