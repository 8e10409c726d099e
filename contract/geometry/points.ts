import { LIMITS } from '../limits.ts';

/**
 * Three coordinate spaces, kept apart by brand so they cannot be mixed up by accident:
 * - display: pixels on screen (the Konva stage), after zoom and pan;
 * - image: the start frame's native pixels, top-left origin, fractional — how masks and paths are stored;
 * - API: Kling's space — native pixels, origin bottom-left, integers, clamped to the image.
 */
declare const brand: unique symbol;
type Branded<T, B extends string> = T & { readonly [brand]: B };

export type DisplayPoint = Branded<{ x: number; y: number }, 'display'>;
export type ImagePoint = Branded<{ x: number; y: number }, 'image'>;
export type ApiPoint = Branded<{ x: number; y: number }, 'api'>;

export const displayPoint = (x: number, y: number) => ({ x, y }) as DisplayPoint;
export const imagePoint = (x: number, y: number) => ({ x, y }) as ImagePoint;
export const apiPoint = (x: number, y: number) => ({ x, y }) as ApiPoint;

export interface Size {
  width: number;
  height: number;
}

/** How the image is shown: display = image × scale + offset. */
export interface Viewport {
  scale: number;
  offsetX: number;
  offsetY: number;
}

export function displayToImage(p: { x: number; y: number }, v: Viewport): ImagePoint {
  return imagePoint((p.x - v.offsetX) / v.scale, (p.y - v.offsetY) / v.scale);
}

export function imageToDisplay(p: { x: number; y: number }, v: Viewport): DisplayPoint {
  return displayPoint(p.x * v.scale + v.offsetX, p.y * v.scale + v.offsetY);
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** Image (top-left, fractional) → Kling API (bottom-left, integer, inside 0..width × 0..height). */
export function imageToApi(p: { x: number; y: number }, size: Size): ApiPoint {
  return apiPoint(
    Math.round(clamp(p.x, 0, size.width)),
    Math.round(clamp(size.height - p.y, 0, size.height)),
  );
}

/** Kling API (bottom-left) → image (top-left). Exact inverse of imageToApi on in-range integer points. */
export function apiToImage(p: { x: number; y: number }, size: Size): ImagePoint {
  return imagePoint(p.x, size.height - p.y);
}

/** The scale and offset that fit an image inside a box, centred (the editor's "fit"). */
export function fitViewport(image: Size, box: Size, padding = 0): Viewport {
  const w = Math.max(1, box.width - 2 * padding);
  const h = Math.max(1, box.height - 2 * padding);
  const scale = Math.min(w / image.width, h / image.height);
  return {
    scale,
    offsetX: (box.width - image.width * scale) / 2,
    offsetY: (box.height - image.height * scale) / 2,
  };
}

function dist(a: { x: number; y: number }, b: { x: number; y: number }) {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

/**
 * Resamples a drawn path to at most `max` points evenly spaced by arc length, keeping the first and last
 * points. Paths already within the limit come back unchanged (minus repeated points), so hand-placed
 * points stay where the creator put them.
 */
export function resamplePath<P extends { x: number; y: number }>(
  points: readonly P[],
  max: number = LIMITS.trajectoryMaxPoints,
): { x: number; y: number }[] {
  const pts = points.filter((p, i) => i === 0 || dist(points[i - 1]!, p) > 0);
  if (pts.length <= max) return pts.map((p) => ({ x: p.x, y: p.y }));
  const cumulative = [0];
  for (let i = 1; i < pts.length; i++) cumulative.push(cumulative[i - 1]! + dist(pts[i - 1]!, pts[i]!));
  const total = cumulative[cumulative.length - 1]!;
  const out: { x: number; y: number }[] = [];
  let seg = 1;
  for (let k = 0; k < max; k++) {
    const target = (total * k) / (max - 1);
    while (seg < pts.length - 1 && cumulative[seg]! < target) seg++;
    const a = pts[seg - 1]!;
    const b = pts[seg]!;
    const span = cumulative[seg]! - cumulative[seg - 1]!;
    const t = span === 0 ? 0 : (target - cumulative[seg - 1]!) / span;
    out.push({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });
  }
  out[0] = { x: pts[0]!.x, y: pts[0]!.y };
  const last = pts[pts.length - 1]!;
  out[max - 1] = { x: last.x, y: last.y };
  return out;
}

/** A stored (image-space) path as Kling trajectory points: resampled, flipped, rounded, clamped. */
export function pathToApiTrajectory(path: readonly { x: number; y: number }[], size: Size): ApiPoint[] {
  return resamplePath(path).map((p) => imageToApi(p, size));
}

/** Position along a polyline at arc-length fraction t ∈ [0, 1] (motion preview and simulator share it). */
export function pointAlongPath(
  path: readonly { x: number; y: number }[],
  t: number,
): { x: number; y: number } {
  if (path.length === 0) return { x: 0, y: 0 };
  if (path.length === 1) return { ...path[0]! };
  const lengths = [0];
  for (let i = 1; i < path.length; i++) lengths.push(lengths[i - 1]! + dist(path[i - 1]!, path[i]!));
  const total = lengths[lengths.length - 1]!;
  const target = clamp(t, 0, 1) * total;
  for (let i = 1; i < path.length; i++) {
    if (lengths[i]! >= target) {
      const span = lengths[i]! - lengths[i - 1]!;
      const u = span === 0 ? 0 : (target - lengths[i - 1]!) / span;
      const a = path[i - 1]!;
      const b = path[i]!;
      return { x: a.x + (b.x - a.x) * u, y: a.y + (b.y - a.y) * u };
    }
  }
  return { ...path[path.length - 1]! };
}
