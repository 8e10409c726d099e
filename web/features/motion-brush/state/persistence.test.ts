import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addDynamicMask, beginStroke, commitPath, resetMotionBrush, setImageSize } from './actions.ts';
import { getBitmap } from './bitmaps.ts';
import {
  adoptLegacyDraft,
  DRAFT_KEY,
  type DraftStorage,
  hydrateMotionBrush,
  startAutosave,
} from './persistence.ts';
import { exportRecipe, importRecipe } from './recipe.ts';
import { useMotionBrushStore } from './store.ts';

function memoryStorage(): DraftStorage & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: async (k) => map.get(k),
    set: async (k, v) => {
      map.set(k, structuredClone(v));
    },
  };
}

const size = { width: 500, height: 400 };

function paintedMask(): string {
  const id = addDynamicMask()!;
  const s = beginStroke('paint', { x: 50, y: 350 })!;
  s.segment({ x: 50, y: 350 }, { x: 120, y: 300 });
  s.commit();
  commitPath(
    id,
    [],
    [
      { x: 60, y: 340 },
      { x: 450, y: 40 },
    ],
  );
  return id;
}

beforeEach(() => {
  resetMotionBrush();
  setImageSize(size);
});
afterEach(() => vi.useRealTimers());

describe('draft persistence', () => {
  it('saves after changes (masks as PNG bytes) and reads the same editor back', async () => {
    const storage = memoryStorage();
    const stop = startAutosave(storage, 10);
    const id = paintedMask();
    expect(useMotionBrushStore.getState().save).toBe('pending');
    await vi.waitFor(() => expect(useMotionBrushStore.getState().save).toBe('saved'));
    stop();
    const saved = storage.map.get(DRAFT_KEY) as { masks: { png: Uint8Array }[] };
    expect(Object.prototype.toString.call(saved.masks[0]!.png)).toBe('[object Uint8Array]');
    // PNG signature, and far smaller than the 200 000 raw pixels.
    expect([...saved.masks[0]!.png.slice(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect(saved.masks[0]!.png.length).toBeLessThan(5000);

    const pixels = getBitmap(id)!.data.slice();
    const path = useMotionBrushStore.getState().masks[0]!.path;
    resetMotionBrush();
    await hydrateMotionBrush(storage);
    const s = useMotionBrushStore.getState();
    expect(s.hydrated).toBe(true);
    expect(s.masks).toHaveLength(1);
    expect(s.masks[0]).toMatchObject({ id, painted: true, path });
    expect(Buffer.compare(getBitmap(id)!.data, pixels)).toBe(0);
  });

  it('starts empty (and says so) when the saved draft is damaged', async () => {
    const storage = memoryStorage();
    storage.map.set(DRAFT_KEY, {
      version: 1,
      imageSize: size,
      brushSize: 10,
      tool: 'brush',
      selectedId: null,
      masks: [
        { id: 'x', kind: 'dynamic', color: '#fff', visible: true, path: [], png: new Uint8Array([1, 2, 3]) },
      ],
    });
    await hydrateMotionBrush(storage);
    expect(useMotionBrushStore.getState().masks).toEqual([]);
    expect(useMotionBrushStore.getState().notice).toMatch(/could not be read/);
    expect(useMotionBrushStore.getState().hydrated).toBe(true);
  });
});

describe('recipes', () => {
  it('round-trip masks, paths and host settings, scaling to another frame size', async () => {
    const id = paintedMask();
    const pixels = getBitmap(id)!.data.slice();
    const file = await exportRecipe({ model: 'kling-v1', prompt: 'a boat drifts' });
    resetMotionBrush();
    setImageSize(size);
    const { settings, scaled } = await importRecipe(file);
    expect(settings).toEqual({ model: 'kling-v1', prompt: 'a boat drifts' });
    expect(scaled).toBe(false);
    const m = useMotionBrushStore.getState().masks[0]!;
    expect(m.path).toEqual([
      { x: 60, y: 340 },
      { x: 450, y: 40 },
    ]);
    expect(Buffer.compare(getBitmap(m.id)!.data, pixels)).toBe(0);

    await importRecipe(file, { width: 1000, height: 800 });
    const big = useMotionBrushStore.getState().masks[0]!;
    expect(big.path[1]).toEqual({ x: 900, y: 80 });
    expect(getBitmap(big.id)!.width).toBe(1000);
  });

  it('refuses files that are not recipes', async () => {
    await expect(importRecipe(new Blob(['nope']))).rejects.toThrow(/not a motion recipe/);
    await expect(importRecipe(new Blob(['{"format":"x"}']))).rejects.toThrow(/not a motion recipe/);
  });
});

describe("drafts saved by earlier versions (idb-keyval's default database)", () => {
  const legacyOf = (map: Map<string, unknown>) => ({
    get: async (k: string) => map.get(k),
    del: async (k: string) => {
      map.delete(k);
    },
  });

  it('are moved into the studio store once and load from there', async () => {
    const old = memoryStorage();
    const stop = startAutosave(old, 10);
    const id = paintedMask();
    await vi.waitFor(() => expect(useMotionBrushStore.getState().save).toBe('saved'));
    stop();
    resetMotionBrush();

    const storage = memoryStorage();
    await adoptLegacyDraft(storage, legacyOf(old.map));
    expect(old.map.has(DRAFT_KEY)).toBe(false);
    await hydrateMotionBrush(storage);
    const mask = useMotionBrushStore.getState().masks.find((m) => m.id === id);
    expect(mask?.painted).toBe(true);
    expect(mask?.path).toHaveLength(2);
  });

  it('never overwrite a draft the studio store already has', async () => {
    const storage = memoryStorage();
    storage.map.set(DRAFT_KEY, 'current');
    const old = new Map<string, unknown>([[DRAFT_KEY, 'older']]);
    await adoptLegacyDraft(storage, legacyOf(old));
    expect(storage.map.get(DRAFT_KEY)).toBe('current');
    expect(old.get(DRAFT_KEY)).toBe('older');
  });
});
