import type { Pt } from '../model/types.ts';

/**
 * What a tool hears, already converted to image pixels by the input layer. Tools never see DOM events,
 * so they run (and are tested) without a browser.
 */
export type ToolEvent =
  | { type: 'down'; pointerId: number; at: Pt; button: number; alt: boolean }
  /** Coalesced samples since the last move, oldest first (at least one). */
  | { type: 'move'; pointerId: number; points: Pt[] }
  | { type: 'up'; pointerId: number }
  /** pointercancel, Escape, or a second finger turning the gesture into a pinch. */
  | { type: 'cancel' }
  /** Delete / Backspace. */
  | { type: 'delete' };
