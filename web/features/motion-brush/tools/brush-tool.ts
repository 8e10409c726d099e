import type { Pt } from '../model/types.ts';
import type { ToolEvent } from './events.ts';

/** Brush and eraser: idle → painting (pointer down) → idle (up commits, cancel reverts). */
export type BrushState = { kind: 'idle' } | { kind: 'painting'; pointerId: number; last: Pt };

export type BrushEffect =
  /** Start a stroke with a dab at `at`. */
  | { type: 'begin'; at: Pt }
  /** Paint only what is new since the last event. */
  | { type: 'segment'; from: Pt; to: Pt }
  /** End the stroke as one undo step. */
  | { type: 'commit' }
  /** Undo the unfinished stroke. */
  | { type: 'revert' };

export const brushIdle: BrushState = { kind: 'idle' };

export function brushTool(state: BrushState, e: ToolEvent): [BrushState, BrushEffect[]] {
  switch (state.kind) {
    case 'idle':
      // Left button, pen tip or finger only; the middle button pans and the right one is left alone.
      if (e.type === 'down' && e.button === 0)
        return [{ kind: 'painting', pointerId: e.pointerId, last: e.at }, [{ type: 'begin', at: e.at }]];
      return [state, []];
    case 'painting': {
      if (e.type === 'move' && e.pointerId === state.pointerId) {
        const effects: BrushEffect[] = [];
        let last = state.last;
        for (const p of e.points) {
          effects.push({ type: 'segment', from: last, to: p });
          last = p;
        }
        return [{ ...state, last }, effects];
      }
      if (e.type === 'up' && e.pointerId === state.pointerId) return [brushIdle, [{ type: 'commit' }]];
      if (e.type === 'cancel') return [brushIdle, [{ type: 'revert' }]];
      return [state, []];
    }
  }
}
