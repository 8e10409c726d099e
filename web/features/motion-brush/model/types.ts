import type { Size } from '../../../../contract/geometry/points.ts';

export type { Size };

/** A point in the start frame's native pixels, top-left origin (how masks and paths are stored). */
export interface Pt {
  x: number;
  y: number;
}

/** An integer pixel rectangle inside a mask bitmap. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type MaskKind = 'static' | 'dynamic';

/** Brush and eraser paint; trajectory edits the selected dynamic mask's path; hand pans. */
export type Tool = 'brush' | 'eraser' | 'trajectory' | 'hand';

/** One mask as the store knows it. Its pixels live in a MaskBitmap keyed by `id` (see state/bitmaps.ts). */
export interface MaskEntry {
  id: string;
  kind: MaskKind;
  /** Display colour, `#rrggbb`; fixed for the mask's life so undo patches need not carry it. */
  color: string;
  /** View-only: a hidden mask is still exported. */
  visible: boolean;
  /** The motion path in image pixels; only dynamic masks have one. At most 77 points. */
  path: Pt[];
  /** Whether any pixel is painted (kept exact from the bitmap's tile flags). */
  painted: boolean;
}

/** The motion brush part of a create request, with Kling's field names (base64 PNGs, API points). */
export interface MotionBrushFields {
  static_mask?: string;
  dynamic_masks?: { mask: string; trajectories: { x: number; y: number }[] }[];
}

/** A pre-submit problem, shaped like the contract's Violation so the composer can show both alike. */
export interface MotionBrushViolation {
  field: string;
  rule: string;
  message: string;
}
