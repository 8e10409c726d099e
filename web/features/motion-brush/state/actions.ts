import { LIMITS } from '../../../../contract/limits.ts';
import { BRUSH_MAX, BRUSH_MIN, brushMaxFor, stepBrushSize } from '../model/brush-size.ts';
import { nextDynamicColor, STATIC_COLOR } from '../model/colors.ts';
import { History } from '../model/history.ts';
import type { MaskBitmap } from '../model/mask-bitmap.ts';
import { applyPatch, type MaskPatch, PatchRecorder } from '../model/patch.ts';
import { samePath, scalePath } from '../model/path-edit.ts';
import { capsuleBounds } from '../model/raster.ts';
import type { MaskEntry, MaskFields, MaskKind, Pt, Size, Tool } from '../model/types.ts';
import { bitmapFor, clearBitmaps, deleteBitmap, getBitmap, setBitmap } from './bitmaps.ts';
import { initialMotionBrushState, type MotionBrushState, useMotionBrushStore } from './store.ts';

/**
 * Every change to the motion brush goes through here, so each one is either an undo step or
 * deliberately not one. Commands hold data (tile patches, paths, the removed mask), not closures.
 */
type Command =
  | { type: 'paint'; maskId: string; patch: MaskPatch; bytes: number }
  | { type: 'path'; maskId: string; before: Pt[]; after: Pt[]; bytes: number }
  | { type: 'add'; entry: MaskEntry; index: number; bitmap: MaskBitmap; bytes: number }
  | { type: 'delete'; entry: MaskEntry; index: number; bitmap: MaskBitmap; bytes: number };

const history = new History<Command>();

const get = () => useMotionBrushStore.getState();
const set = (partial: Partial<MotionBrushState>) => useMotionBrushStore.setState(partial);

function syncHistory(extra: Partial<MotionBrushState> = {}): void {
  set({ canUndo: history.canUndo, canRedo: history.canRedo, ...extra });
}

function record(c: Command): void {
  history.push(c);
  syncHistory();
}

function updateMask(id: string, patch: Partial<MaskEntry>): void {
  set({ masks: get().masks.map((m) => (m.id === id ? { ...m, ...patch } : m)) });
}

function refreshPainted(id: string): void {
  const b = getBitmap(id);
  updateMask(id, { painted: !!b && !b.empty });
  set({ pixels: get().pixels + 1 });
}

let seq = 0;
function newId(kind: MaskKind): string {
  seq += 1;
  const rand = globalThis.crypto?.randomUUID?.().slice(0, 8) ?? Math.random().toString(36).slice(2, 10);
  return `${kind}-${rand}-${seq}`;
}

function requireSize(): Size | null {
  const size = get().imageSize;
  if (!size) set({ notice: 'Add a start frame first: masks are painted on it' });
  return size;
}

export function notify(notice: string | null): void {
  set({ notice });
}

// ── Image ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * The start frame the masks belong to. A frame of another size keeps the work: masks and paths are
 * scaled to it (proportionally per axis) and the creator is told; the history is dropped since its
 * patches are in the old size's pixels.
 */
export function setImageSize(size: Size): void {
  const s = get();
  if (s.imageSize && s.imageSize.width === size.width && s.imageSize.height === size.height) return;
  const old = s.imageSize;
  const hasWork = s.masks.some((m) => m.painted || m.path.length > 0);
  if (old && hasWork) {
    for (const m of s.masks) {
      const b = getBitmap(m.id);
      if (b) setBitmap(m.id, b.resized(size.width, size.height));
    }
    history.clear();
    set({
      imageSize: size,
      masks: s.masks.map((m) => ({ ...m, path: scalePath(m.path, old, size) })),
      pixels: s.pixels + 1,
      notice: `Masks and paths were scaled from ${old.width}×${old.height} to the new frame's ${size.width}×${size.height}`,
    });
    syncHistory();
    return;
  }
  for (const m of s.masks) bitmapFor(m.id, size);
  set({ imageSize: size });
}

// ── Masks ──────────────────────────────────────────────────────────────────────────────────────────

function insertMask(kind: MaskKind): string | null {
  const size = requireSize();
  if (!size) return null;
  const masks = get().masks;
  const dynamicColors = masks.filter((m) => m.kind === 'dynamic').map((m) => m.color);
  const entry: MaskEntry = {
    id: newId(kind),
    kind,
    color: kind === 'static' ? STATIC_COLOR : nextDynamicColor(dynamicColors),
    visible: true,
    path: [],
    painted: false,
  };
  const bitmap = bitmapFor(entry.id, size);
  // The static mask heads the list; dynamic masks follow in creation order (their 1–6 shortcuts).
  const index = kind === 'static' ? 0 : masks.length;
  const next = [...masks];
  next.splice(index, 0, entry);
  set({ masks: next, selectedId: entry.id, notice: null });
  record({ type: 'add', entry, index, bitmap, bytes: 0 });
  return entry.id;
}

export function addDynamicMask(): string | null {
  const count = get().masks.filter((m) => m.kind === 'dynamic').length;
  if (count >= LIMITS.dynamicMasksMax) {
    set({ notice: `Kling takes at most ${LIMITS.dynamicMasksMax} dynamic masks` });
    return null;
  }
  return insertMask('dynamic');
}

/** Selects the static mask, creating it on first use. */
export function selectStatic(): string | null {
  const existing = get().masks.find((m) => m.kind === 'static');
  if (existing) {
    set({ selectedId: existing.id, notice: null });
    return existing.id;
  }
  return insertMask('static');
}

/** Selects the n-th dynamic mask (1-based), if there is one. */
export function selectDynamic(n: number): string | null {
  const m = get().masks.filter((x) => x.kind === 'dynamic')[n - 1];
  if (m) set({ selectedId: m.id, notice: null });
  return m?.id ?? null;
}

export function selectMask(id: string): void {
  if (get().masks.some((m) => m.id === id)) set({ selectedId: id, notice: null });
}

export function setMaskVisible(id: string, visible: boolean): void {
  updateMask(id, { visible });
  set({ pixels: get().pixels + 1 });
}

export function clearMask(id: string): void {
  const b = getBitmap(id);
  if (!b || b.empty) return;
  const rec = new PatchRecorder(b);
  rec.capture(b.setTileIndices());
  b.clear();
  const patch = rec.finish();
  record({ type: 'paint', maskId: id, patch, bytes: patch.bytes });
  refreshPainted(id);
}

export function deleteMask(id: string): void {
  const masks = get().masks;
  const index = masks.findIndex((m) => m.id === id);
  const entry = masks[index];
  const bitmap = getBitmap(id);
  if (!entry || !bitmap) return;
  const next = masks.filter((m) => m.id !== id);
  deleteBitmap(id);
  const selectedId =
    get().selectedId === id ? (next[Math.min(index, next.length - 1)]?.id ?? null) : get().selectedId;
  set({ masks: next, selectedId, pixels: get().pixels + 1 });
  // The bitmap's bytes count against the history budget: a deleted 4096² mask is 16 MB.
  record({ type: 'delete', entry, index, bitmap, bytes: bitmap.data.length });
}

// ── Tool and brush ─────────────────────────────────────────────────────────────────────────────────

export function setTool(tool: Tool): void {
  set({ tool, notice: null });
}

export function setBrushSize(size: number): void {
  if (!Number.isFinite(size)) return;
  set({ brushSize: Math.round(Math.min(BRUSH_MAX, Math.max(BRUSH_MIN, size))) });
}

/** `[` and `]`: the next round size down or up, within the slider's range for this frame. */
export function nudgeBrushSize(direction: -1 | 1): void {
  const s = get();
  setBrushSize(stepBrushSize(s.brushSize, direction, brushMaxFor(s.imageSize)));
}

// ── Strokes ────────────────────────────────────────────────────────────────────────────────────────

/** An unfinished brush or eraser stroke: paints segment by segment, ends as one undo step. */
export interface Stroke {
  readonly maskId: string;
  segment(from: Pt, to: Pt): void;
  commit(): void;
  revert(): void;
}

/**
 * Starts a stroke on the selected mask. Painting with nothing to paint on creates a first dynamic mask
 * (the common case); erasing with nothing selected does nothing.
 */
export function beginStroke(mode: 'paint' | 'erase', at: Pt): Stroke | null {
  if (!requireSize()) return null;
  let id = get().selectedId;
  if (!id) {
    if (mode === 'erase') return null;
    id = addDynamicMask();
    if (!id) return null;
  }
  const size = get().imageSize!;
  const maskId = id;
  const bitmap = bitmapFor(maskId, size);
  const entry = get().masks.find((m) => m.id === maskId);
  if (entry && !entry.visible) updateMask(maskId, { visible: true });
  const diameter = get().brushSize;
  const value = mode === 'paint' ? 255 : 0;
  const rec = new PatchRecorder(bitmap);
  let open = true;
  const segment = (from: Pt, to: Pt) => {
    if (!open) return;
    // Copy the tiles this segment reaches before it changes them: undo data grows with the area touched.
    const reach = capsuleBounds(from, to, Math.max(0.5, diameter / 2), size.width, size.height);
    if (!reach) return;
    rec.capture(bitmap.tilesIn(reach));
    bitmap.stroke(from, to, diameter, value);
  };
  segment(at, at);
  return {
    maskId,
    segment,
    commit() {
      if (!open) return;
      open = false;
      const patch = rec.finish();
      if (patch.tiles.length) record({ type: 'paint', maskId, patch, bytes: patch.bytes });
      refreshPainted(maskId);
    },
    revert() {
      if (!open) return;
      open = false;
      rec.revert();
      refreshPainted(maskId);
    },
  };
}

// ── Paths ──────────────────────────────────────────────────────────────────────────────────────────

/** Shows a path while it is being dragged, without an undo step. */
export function setPathLive(maskId: string, path: Pt[]): void {
  updateMask(maskId, { path });
}

/** One undoable path edit (draw, append, move, insert, delete). */
export function commitPath(maskId: string, before: Pt[], after: Pt[]): void {
  updateMask(maskId, { path: after });
  if (!samePath(before, after))
    record({ type: 'path', maskId, before, after, bytes: 16 * (before.length + after.length) });
}

// ── Undo / redo ────────────────────────────────────────────────────────────────────────────────────

function run(c: Command, direction: 'undo' | 'redo'): void {
  const masks = get().masks;
  switch (c.type) {
    case 'paint': {
      const b = getBitmap(c.maskId);
      if (b) applyPatch(b, c.patch, direction === 'undo' ? 'before' : 'after');
      refreshPainted(c.maskId);
      set({ selectedId: c.maskId });
      return;
    }
    case 'path':
      updateMask(c.maskId, { path: direction === 'undo' ? c.before : c.after });
      set({ selectedId: c.maskId });
      return;
    case 'add':
    case 'delete': {
      const insert = (c.type === 'add') === (direction === 'redo');
      if (insert) {
        const next = [...masks];
        next.splice(Math.min(c.index, next.length), 0, c.entry);
        setBitmap(c.entry.id, c.bitmap);
        // The entry's painted flag is from when it was removed; the bitmap is unchanged since.
        set({ masks: next, selectedId: c.entry.id, pixels: get().pixels + 1 });
      } else {
        deleteBitmap(c.entry.id);
        const next = masks.filter((m) => m.id !== c.entry.id);
        const selectedId = get().selectedId === c.entry.id ? (next[0]?.id ?? null) : get().selectedId;
        set({ masks: next, selectedId, pixels: get().pixels + 1 });
      }
    }
  }
}

export function undo(): void {
  const c = history.undo();
  if (c) run(c, 'undo');
  syncHistory({ notice: c ? null : get().notice });
}

export function redo(): void {
  const c = history.redo();
  if (c) run(c, 'redo');
  syncHistory({ notice: c ? null : get().notice });
}

// ── Whole-document changes ─────────────────────────────────────────────────────────────────────────

export interface LoadedMask {
  entry: MaskFields;
  bitmap: MaskBitmap;
}

/** Replaces every mask (a saved draft, a remix, a recipe). Not undoable: the history is cleared. */
export function replaceAll(
  imageSize: Size | null,
  loaded: LoadedMask[],
  extra: Partial<MotionBrushState> = {},
): void {
  clearBitmaps();
  history.clear();
  const masks: MaskEntry[] = loaded.map(({ entry, bitmap }) => {
    setBitmap(entry.id, bitmap);
    return { ...entry, painted: !bitmap.empty };
  });
  const selectedId =
    extra.selectedId && masks.some((m) => m.id === extra.selectedId)
      ? extra.selectedId
      : (masks[0]?.id ?? null);
  set({ ...extra, imageSize, masks, selectedId, pixels: get().pixels + 1 });
  syncHistory();
}

/** Forgets every mask and path (a new project). */
export function resetMotionBrush(): void {
  clearBitmaps();
  history.clear();
  const { hydrated, pixels } = get();
  useMotionBrushStore.setState({ ...initialMotionBrushState(), hydrated, pixels: pixels + 1 });
}
