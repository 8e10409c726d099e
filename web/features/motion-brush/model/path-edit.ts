import { LIMITS } from '../../../../contract/limits.ts';
import type { Pt, Size } from './types.ts';

/** Pure edits of a motion path (image pixels). Every function returns a new array. */

export const MAX_POINTS = LIMITS.trajectoryMaxPoints;

export function clampToImage(p: Pt, size: Size): Pt {
  return { x: Math.min(size.width, Math.max(0, p.x)), y: Math.min(size.height, Math.max(0, p.y)) };
}

/** Index of the point nearest to p within `radius`, or -1. */
export function hitPoint(path: readonly Pt[], p: Pt, radius: number): number {
  let best = -1;
  let bestD = radius;
  path.forEach((q, i) => {
    const d = Math.hypot(q.x - p.x, q.y - p.y);
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  });
  return best;
}

/** The segment (its start index) within `radius` of p, and where on it p projects, or null. */
export function hitSegment(path: readonly Pt[], p: Pt, radius: number): { index: number; at: Pt } | null {
  let best: { index: number; at: Pt } | null = null;
  let bestD = radius;
  for (let i = 0; i + 1 < path.length; i++) {
    const a = path[i]!;
    const b = path[i + 1]!;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
    const at = { x: a.x + t * dx, y: a.y + t * dy };
    const d = Math.hypot(at.x - p.x, at.y - p.y);
    if (d <= bestD) {
      best = { index: i, at };
      bestD = d;
    }
  }
  return best;
}

export function movePoint(path: readonly Pt[], index: number, p: Pt): Pt[] {
  return path.map((q, i) => (i === index ? { x: p.x, y: p.y } : q));
}

export function insertPoint(path: readonly Pt[], after: number, p: Pt): Pt[] {
  return [...path.slice(0, after + 1), { x: p.x, y: p.y }, ...path.slice(after + 1)];
}

export function deletePoint(path: readonly Pt[], index: number): Pt[] {
  return path.filter((_, i) => i !== index);
}

export function appendPoint(path: readonly Pt[], p: Pt): Pt[] {
  return path.length >= MAX_POINTS ? [...path] : [...path, { x: p.x, y: p.y }];
}

export function samePath(a: readonly Pt[], b: readonly Pt[]): boolean {
  return a.length === b.length && a.every((p, i) => p.x === b[i]!.x && p.y === b[i]!.y);
}

/** Scales a path to another image size (a new start frame of a different resolution). */
export function scalePath(path: readonly Pt[], from: Size, to: Size): Pt[] {
  return path.map((p) => ({ x: (p.x * to.width) / from.width, y: (p.y * to.height) / from.height }));
}
