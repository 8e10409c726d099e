import { z } from 'zod';
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

export const maskKindSchema = z.enum(['static', 'dynamic']);
export type MaskKind = z.infer<typeof maskKindSchema>;

/** Brush and eraser paint; trajectory edits the selected dynamic mask's path; hand pans. */
export const toolSchema = z.enum(['brush', 'eraser', 'trajectory', 'hand']);
export type Tool = z.infer<typeof toolSchema>;

/**
 * One mask as it is saved (state/persistence.ts) and loaded (replaceAll): everything but its pixels,
 * which live in a MaskBitmap keyed by `id` (see state/bitmaps.ts).
 */
export const maskFieldsSchema = z.object({
  id: z.string(),
  kind: maskKindSchema,
  /** Display colour, `#rrggbb`; fixed for the mask's life so undo patches need not carry it. */
  color: z.string(),
  /** View-only: a hidden mask is still exported. */
  visible: z.boolean(),
  /** The motion path in image pixels; only dynamic masks have one. At most 77 points. */
  path: z.array(z.object({ x: z.number(), y: z.number() })),
});
export type MaskFields = z.infer<typeof maskFieldsSchema>;

/** One mask as the store knows it. */
export interface MaskEntry extends MaskFields {
  /** Whether any pixel is painted (kept exact from the bitmap's tile flags). */
  painted: boolean;
}
