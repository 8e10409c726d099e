import { beforeEach, describe, expect, it } from 'vitest';
import { brushMaxFor } from '../model/brush-size.ts';
import {
  addDynamicMask,
  beginStroke,
  clearMask,
  commitPath,
  deleteMask,
  nudgeBrushSize,
  redo,
  resetMotionBrush,
  selectDynamic,
  selectStatic,
  setBrushSize,
  setImageSize,
  undo,
} from './actions.ts';
import { getBitmap } from './bitmaps.ts';
import { useMotionBrushStore } from './store.ts';

const state = () => useMotionBrushStore.getState();
const painted = (id: string) => getBitmap(id)!.data.reduce((n, v) => n + (v ? 1 : 0), 0);

function paint(
  from: { x: number; y: number },
  to: { x: number; y: number },
  mode: 'paint' | 'erase' = 'paint',
) {
  const s = beginStroke(mode, from)!;
  s.segment(from, to);
  s.commit();
  return s.maskId;
}

beforeEach(() => {
  resetMotionBrush();
  setImageSize({ width: 640, height: 480 });
  setBrushSize(20);
});

describe('masks', () => {
  it('painting with no mask creates Dynamic mask 1 and selects it', () => {
    const id = paint({ x: 100, y: 100 }, { x: 200, y: 100 });
    expect(state().masks).toHaveLength(1);
    expect(state().masks[0]).toMatchObject({ id, kind: 'dynamic', painted: true });
    expect(state().selectedId).toBe(id);
  });

  it('keeps one static mask at the head of the list and at most 6 dynamic ones', () => {
    for (let i = 0; i < 6; i++) expect(addDynamicMask()).not.toBeNull();
    expect(addDynamicMask()).toBeNull();
    expect(state().notice).toMatch(/at most 6/);
    const s1 = selectStatic();
    expect(selectStatic()).toBe(s1);
    expect(state().masks[0]!.kind).toBe('static');
    expect(new Set(state().masks.map((m) => m.color)).size).toBe(7);
    expect(selectDynamic(3)).toBe(state().masks[3]!.id);
    expect(selectDynamic(7)).toBeNull();
  });

  it('erases only the selected mask', () => {
    const a = paint({ x: 100, y: 100 }, { x: 300, y: 100 });
    addDynamicMask();
    const b = paint({ x: 100, y: 100 }, { x: 300, y: 100 });
    paint({ x: 0, y: 100 }, { x: 640, y: 100 }, 'erase');
    expect(painted(b)).toBe(0);
    expect(painted(a)).toBeGreaterThan(0);
    expect(state().masks.find((m) => m.id === b)!.painted).toBe(false);
  });

  it('steps the brush with [ and ] through round sizes, within this frame’s slider range', () => {
    setBrushSize(40);
    nudgeBrushSize(1);
    expect(state().brushSize).toBe(45);
    nudgeBrushSize(-1);
    nudgeBrushSize(-1);
    expect(state().brushSize).toBe(35);
    setBrushSize(1);
    nudgeBrushSize(1);
    expect(state().brushSize).toBe(2);
    // The frame is 640 px wide: the slider stops at 160, and so does ].
    expect(brushMaxFor(state().imageSize)).toBe(160);
    setBrushSize(150);
    for (let i = 0; i < 5; i++) nudgeBrushSize(1);
    expect(state().brushSize).toBe(160);
  });
});

describe('undo / redo', () => {
  it('undoes and redoes strokes one at a time', () => {
    const id = paint({ x: 100, y: 100 }, { x: 200, y: 100 });
    const one = painted(id);
    paint({ x: 100, y: 300 }, { x: 200, y: 300 });
    expect(painted(id)).toBeGreaterThan(one);
    undo();
    expect(painted(id)).toBe(one);
    redo();
    expect(painted(id)).toBeGreaterThan(one);
    undo();
    undo();
    expect(painted(id)).toBe(0);
    expect(state().masks[0]!.painted).toBe(false);
    // The mask itself was created by the first stroke; one more undo removes it.
    undo();
    expect(state().masks).toHaveLength(0);
    expect(state().canUndo).toBe(false);
    redo();
    redo();
    expect(painted(state().masks[0]!.id)).toBe(one);
  });

  it('a cancelled stroke leaves no trace and no undo step', () => {
    const id = addDynamicMask()!;
    const s = beginStroke('paint', { x: 10, y: 10 })!;
    s.segment({ x: 10, y: 10 }, { x: 600, y: 400 });
    s.revert();
    expect(painted(id)).toBe(0);
    undo();
    expect(state().masks).toHaveLength(0);
  });

  it('undoes a clear and a delete', () => {
    const id = paint({ x: 100, y: 100 }, { x: 200, y: 100 });
    const n = painted(id);
    clearMask(id);
    expect(painted(id)).toBe(0);
    undo();
    expect(painted(id)).toBe(n);
    deleteMask(id);
    expect(state().masks).toHaveLength(0);
    undo();
    expect(state().masks[0]).toMatchObject({ id, painted: true });
    expect(painted(id)).toBe(n);
  });

  it('undoes path edits, and a new edit drops the redo stack', () => {
    const id = addDynamicMask()!;
    const p1 = [
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ];
    const p2 = [...p1, { x: 5, y: 6 }];
    commitPath(id, [], p1);
    commitPath(id, p1, p2);
    undo();
    expect(state().masks[0]!.path).toEqual(p1);
    commitPath(id, p1, [{ x: 9, y: 9 }]);
    expect(state().canRedo).toBe(false);
  });
});

describe('a new start frame of another size', () => {
  it('scales masks and paths with it', () => {
    const id = paint({ x: 320, y: 240 }, { x: 320, y: 240 });
    commitPath(
      id,
      [],
      [
        { x: 320, y: 240 },
        { x: 640, y: 0 },
      ],
    );
    setImageSize({ width: 1280, height: 960 });
    expect(getBitmap(id)!.width).toBe(1280);
    expect(getBitmap(id)!.at(640, 480)).toBe(255);
    expect(state().masks[0]!.path).toEqual([
      { x: 640, y: 480 },
      { x: 1280, y: 0 },
    ]);
    expect(state().notice).toMatch(/scaled/);
  });
});
