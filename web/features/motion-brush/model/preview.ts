import { pointAlongPath } from '../../../../contract/geometry/points.ts';
import type { MaskEntry, Pt } from './types.ts';

/**
 * Where each dynamic region sits at fraction t of the video: displaced by (point on its path at t) −
 * (its path's start), evenly by arc length — the same reading of a path the simulator renders with.
 */
export function previewOffsets(masks: readonly MaskEntry[], t: number): { id: string; offset: Pt }[] {
  return masks
    .filter((m) => m.kind === 'dynamic' && m.painted && m.path.length >= 2)
    .map((m) => {
      const p = pointAlongPath(m.path, t);
      return { id: m.id, offset: { x: p.x - m.path[0]!.x, y: p.y - m.path[0]!.y } };
    });
}

/** t ∈ [0, 1] for `elapsedMs` into a preview of `seconds`. */
export function previewProgress(elapsedMs: number, seconds: number): number {
  return Math.min(1, Math.max(0, elapsedMs / (seconds * 1000)));
}
