import { create } from 'zustand';
import type { MaskEntry, Size, Tool } from '../model/types.ts';

export type SaveState = 'saved' | 'pending' | 'saving' | 'failed';

/**
 * The motion brush's editing state: which masks exist, their paths, the tool and brush. Mask pixels are
 * not in here (a 4096² mask is 16 MB); they live in MaskBitmaps keyed by mask id (bitmaps.ts), and
 * `pixels` bumps whenever any of them changes so views redraw and the draft is saved.
 */
export interface MotionBrushState {
  /** False until the saved draft has been read back (masks must not be edited before that). */
  hydrated: boolean;
  /** The start frame's native size the masks and paths are stored at. */
  imageSize: Size | null;
  /** The static mask (at most one) and up to 6 dynamic masks, in list order. */
  masks: MaskEntry[];
  selectedId: string | null;
  tool: Tool;
  /** Brush diameter in image pixels (the cursor shows it at the current zoom). */
  brushSize: number;
  canUndo: boolean;
  canRedo: boolean;
  pixels: number;
  save: SaveState;
  /** A one-line message for the creator (why something did not happen, what was adjusted). */
  notice: string | null;
}

export const DEFAULT_BRUSH_SIZE = 40;

export function initialMotionBrushState(): MotionBrushState {
  return {
    // Without IndexedDB (tests, private contexts) there is nothing to wait for.
    hydrated: typeof indexedDB === 'undefined',
    imageSize: null,
    masks: [],
    selectedId: null,
    tool: 'brush',
    brushSize: DEFAULT_BRUSH_SIZE,
    canUndo: false,
    canRedo: false,
    pixels: 0,
    save: 'saved',
    notice: null,
  };
}

export const useMotionBrushStore = create<MotionBrushState>()(() => initialMotionBrushState());

/** Resolves once the saved draft has been read (immediately when it already has). */
export function whenHydrated(): Promise<void> {
  if (useMotionBrushStore.getState().hydrated) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = useMotionBrushStore.subscribe((s) => {
      if (!s.hydrated) return;
      stop();
      resolve();
    });
  });
}
