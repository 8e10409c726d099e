import { MaskBitmap } from '../model/mask-bitmap.ts';
import type { MaskFields, Size } from '../model/types.ts';
import { replaceAll } from './actions.ts';
import { getBitmap } from './bitmaps.ts';
import { useMotionBrushStore } from './store.ts';

/**
 * The motion brush's work as it stands (every mask with a copy of its pixels, its path, which was
 * selected, the frame size), to put back exactly later: the Undo of a Remix that replaced it.
 */
export interface MotionBrushSnapshot {
  imageSize: Size | null;
  masks: readonly { entry: MaskFields; bitmap: MaskBitmap }[];
  selectedId: string | null;
}

const copyOf = (b: MaskBitmap) => new MaskBitmap(b.width, b.height, b.data.slice());

export function snapshotMotionBrush(): MotionBrushSnapshot {
  const s = useMotionBrushStore.getState();
  return {
    imageSize: s.imageSize,
    selectedId: s.selectedId,
    masks: s.masks.flatMap(({ painted: _painted, ...entry }) => {
      const bitmap = getBitmap(entry.id);
      return bitmap ? [{ entry, bitmap: copyOf(bitmap) }] : [];
    }),
  };
}

/** Whether the snapshot holds anything a creator made: paint or a path. */
export const motionBrushHasWork = (s: MotionBrushSnapshot): boolean =>
  s.masks.some(({ entry, bitmap }) => !bitmap.empty || entry.path.length > 0);

/** Puts the snapshot back (not an undo step: like any whole-document load, the history starts afresh). */
export function restoreMotionBrush(s: MotionBrushSnapshot): void {
  // Copied again, so the same snapshot can be restored twice and later painting never reaches into it.
  replaceAll(
    s.imageSize,
    s.masks.map(({ entry, bitmap }) => ({ entry, bitmap: copyOf(bitmap) })),
    { selectedId: s.selectedId, notice: null },
  );
}
