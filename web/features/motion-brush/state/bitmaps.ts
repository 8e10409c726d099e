import { MaskBitmap } from '../model/mask-bitmap.ts';
import type { Size } from '../model/types.ts';

/** Mask pixels by mask id. Kept beside the store, not in it: large, mutable, and never rendered by React. */
const bitmaps = new Map<string, MaskBitmap>();

export function getBitmap(id: string): MaskBitmap | undefined {
  return bitmaps.get(id);
}

/** The mask's bitmap, created empty at `size` on first use. */
export function bitmapFor(id: string, size: Size): MaskBitmap {
  let b = bitmaps.get(id);
  if (!b || b.width !== size.width || b.height !== size.height) {
    b = new MaskBitmap(size.width, size.height);
    bitmaps.set(id, b);
  }
  return b;
}

export function setBitmap(id: string, bitmap: MaskBitmap): void {
  bitmaps.set(id, bitmap);
}

export function deleteBitmap(id: string): void {
  bitmaps.delete(id);
}

export function clearBitmaps(): void {
  bitmaps.clear();
}
