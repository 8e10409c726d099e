import type { Pt } from '../model/types.ts';
import type { Viewport } from '../model/viewport.ts';
import { panBy, zoomAt } from '../model/viewport.ts';

/** Panning by drag (hand tool, Space held, or middle button): idle → panning → idle. In display pixels. */
export type PanState = { kind: 'idle' } | { kind: 'panning'; pointerId: number; last: Pt };

export type PanEvent =
  | { type: 'down'; pointerId: number; at: Pt }
  | { type: 'move'; pointerId: number; at: Pt }
  | { type: 'up'; pointerId: number }
  | { type: 'cancel' };

export const panIdle: PanState = { kind: 'idle' };

export function panTool(state: PanState, e: PanEvent, v: Viewport): [PanState, Viewport] {
  if (state.kind === 'idle')
    return e.type === 'down' ? [{ kind: 'panning', pointerId: e.pointerId, last: e.at }, v] : [state, v];
  if (e.type === 'move' && e.pointerId === state.pointerId)
    return [{ ...state, last: e.at }, panBy(v, e.at.x - state.last.x, e.at.y - state.last.y)];
  if ((e.type === 'up' && e.pointerId === state.pointerId) || e.type === 'cancel') return [panIdle, v];
  return [state, v];
}

/** Two-finger pinch: zoom by the change in finger distance about the midpoint, and pan with it. */
export function pinch(v: Viewport, before: [Pt, Pt], after: [Pt, Pt], minScale: number): Viewport {
  const d0 = Math.hypot(before[1].x - before[0].x, before[1].y - before[0].y);
  const d1 = Math.hypot(after[1].x - after[0].x, after[1].y - after[0].y);
  const m0 = { x: (before[0].x + before[1].x) / 2, y: (before[0].y + before[1].y) / 2 };
  const m1 = { x: (after[0].x + after[1].x) / 2, y: (after[0].y + after[1].y) / 2 };
  const zoomed = d0 > 0 ? zoomAt(v, d1 / d0, m0, minScale) : v;
  return panBy(zoomed, m1.x - m0.x, m1.y - m0.y);
}
