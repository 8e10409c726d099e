import { resamplePath } from '../../../../contract/geometry/points.ts';
import {
  appendPoint,
  clampToImage,
  deletePoint,
  hitPoint,
  hitSegment,
  insertPoint,
  MAX_POINTS,
  movePoint,
  samePath,
} from '../model/path-edit.ts';
import type { Pt, Size } from '../model/types.ts';
import type { ToolEvent } from './events.ts';

/**
 * The path tool, on the selected dynamic mask's path:
 * - idle → drawing on empty canvas: a drag draws a new freehand path (replacing the old one, resampled
 *   to ≤ 77 points by arc length); a click appends a point;
 * - idle → dragging on a point (moves it) or on a segment (inserts a point there, then moves it);
 * - Alt-click or right-click on a point deletes it; Delete removes the last touched point;
 * - cancel (Escape) puts the path back as it was.
 */
export type TrajectoryState =
  | { kind: 'idle'; active: number | null }
  | { kind: 'drawing'; pointerId: number; raw: Pt[]; freehand: boolean; before: Pt[] }
  | { kind: 'dragging'; pointerId: number; index: number; before: Pt[]; current: Pt[] };

export type TrajectoryEffect =
  /** The freehand stroke so far (not a path yet). */
  | { type: 'preview'; raw: Pt[] }
  /** Show this path now, without an undo step. */
  | { type: 'live'; path: Pt[] }
  /** One undoable edit. */
  | { type: 'commit'; before: Pt[]; after: Pt[] }
  | { type: 'notice'; text: string };

export interface TrajectoryContext {
  path: readonly Pt[];
  size: Size;
  /** Pick radius in image pixels (a constant screen distance divided by the display scale). */
  hitRadius: number;
}

export const trajectoryIdle: TrajectoryState = { kind: 'idle', active: null };

const FULL = `A path holds at most ${MAX_POINTS} points`;

export function trajectoryTool(
  state: TrajectoryState,
  e: ToolEvent,
  ctx: TrajectoryContext,
): [TrajectoryState, TrajectoryEffect[]] {
  const path = [...ctx.path];
  switch (state.kind) {
    case 'idle': {
      if (e.type === 'delete' && state.active !== null && state.active < path.length) {
        const after = deletePoint(path, state.active);
        return [trajectoryIdle, [{ type: 'commit', before: path, after }]];
      }
      if (e.type !== 'down') return [state, []];
      const at = clampToImage(e.at, ctx.size);
      const onPoint = hitPoint(path, at, ctx.hitRadius);
      if (onPoint >= 0 && (e.alt || e.button === 2))
        return [trajectoryIdle, [{ type: 'commit', before: path, after: deletePoint(path, onPoint) }]];
      if (e.button !== 0) return [state, []];
      if (onPoint >= 0)
        return [
          { kind: 'dragging', pointerId: e.pointerId, index: onPoint, before: path, current: path },
          [],
        ];
      const onSegment = hitSegment(path, at, ctx.hitRadius);
      if (onSegment) {
        if (path.length >= MAX_POINTS) return [state, [{ type: 'notice', text: FULL }]];
        const current = insertPoint(path, onSegment.index, onSegment.at);
        return [
          { kind: 'dragging', pointerId: e.pointerId, index: onSegment.index + 1, before: path, current },
          [{ type: 'live', path: current }],
        ];
      }
      return [{ kind: 'drawing', pointerId: e.pointerId, raw: [at], freehand: false, before: path }, []];
    }
    case 'drawing': {
      if (e.type === 'move' && e.pointerId === state.pointerId) {
        const raw = [...state.raw, ...e.points.map((p) => clampToImage(p, ctx.size))];
        const start = raw[0]!;
        const freehand =
          state.freehand || raw.some((p) => Math.hypot(p.x - start.x, p.y - start.y) > ctx.hitRadius);
        return [{ ...state, raw, freehand }, freehand ? [{ type: 'preview', raw }] : []];
      }
      if (e.type === 'up' && e.pointerId === state.pointerId) {
        if (state.freehand) {
          const after = resamplePath(state.raw);
          return [
            { kind: 'idle', active: after.length - 1 },
            [{ type: 'commit', before: state.before, after }],
          ];
        }
        if (state.before.length >= MAX_POINTS) return [trajectoryIdle, [{ type: 'notice', text: FULL }]];
        const after = appendPoint(state.before, state.raw[0]!);
        return [
          { kind: 'idle', active: after.length - 1 },
          [{ type: 'commit', before: state.before, after }],
        ];
      }
      if (e.type === 'cancel') return [trajectoryIdle, [{ type: 'preview', raw: [] }]];
      return [state, []];
    }
    case 'dragging': {
      if (e.type === 'move' && e.pointerId === state.pointerId) {
        const to = clampToImage(e.points[e.points.length - 1]!, ctx.size);
        const current = movePoint(state.current, state.index, to);
        return [{ ...state, current }, [{ type: 'live', path: current }]];
      }
      if (e.type === 'up' && e.pointerId === state.pointerId) {
        const idle: TrajectoryState = { kind: 'idle', active: state.index };
        if (samePath(state.before, state.current)) return [idle, []];
        return [idle, [{ type: 'commit', before: state.before, after: state.current }]];
      }
      if (e.type === 'cancel') return [trajectoryIdle, [{ type: 'live', path: state.before }]];
      return [state, []];
    }
  }
}

/** The live "n / 77" while a freehand path is drawn: what resampling will keep. */
export function previewPointCount(raw: readonly Pt[]): number {
  return resamplePath(raw).length;
}
