import { beforeEach, describe, expect, it } from 'vitest';
import type { Pt } from '../model/types.ts';
import { type Viewport, ZOOM_STEP } from '../model/viewport.ts';
import {
  addDynamicMask,
  resetMotionBrush,
  selectStatic,
  setBrushSize,
  setImageSize,
  setTool,
  undo,
} from '../state/actions.ts';
import { getBitmap } from '../state/bitmaps.ts';
import { useMotionBrushStore } from '../state/store.ts';
import { InputController } from './input-controller.ts';
import { StageController } from './stage-controller.ts';

/**
 * The input layer against the real store and tools, with synthetic pointer events (jsdom has no
 * layout: the host sits at 0,0, so clientX/Y are display coordinates).
 */
let viewport: Viewport;
let pointer: Pt | null;
let input: InputController;

function ev(type: string, x: number, y: number, o: Partial<PointerEvent> = {}): PointerEvent {
  return {
    type,
    clientX: x,
    clientY: y,
    pointerId: 1,
    pointerType: 'mouse',
    button: 0,
    altKey: false,
    preventDefault() {},
    getCoalescedEvents: () => [],
    ...o,
  } as unknown as PointerEvent;
}

function drag(points: [number, number][], o: Partial<PointerEvent> = {}) {
  const [first, ...rest] = points;
  input.onDown(ev('pointerdown', first![0], first![1], o));
  for (const [x, y] of rest) input.onMove(ev('pointermove', x, y, o));
  input.onUp(ev('pointerup', rest.at(-1)![0], rest.at(-1)![1], o));
}

const state = () => useMotionBrushStore.getState();

beforeEach(() => {
  resetMotionBrush();
  setImageSize({ width: 400, height: 300 });
  setBrushSize(10);
  setTool('brush');
  // Display = image × 0.5 + (10, 20).
  viewport = { scale: 0.5, offsetX: 10, offsetY: 20 };
  pointer = null;
  const host = document.createElement('div');
  const stage = new StageController();
  input = new InputController(() => ({
    host,
    stage,
    viewport: () => viewport,
    setViewport: (v) => {
      viewport = v;
    },
    minScale: () => 0.01,
    onPointer: (p) => {
      pointer = p;
    },
    onFreehandCount: () => {},
    onGestureStart: () => {},
  }));
});

describe('pointer input', () => {
  it('paints where the pointer went, in image pixels, as one undo step', () => {
    drag([
      [60, 120],
      [110, 120],
    ]);
    const id = state().selectedId!;
    const b = getBitmap(id)!;
    // Display (60,120) is image ((60−10)/0.5, (120−20)/0.5) = (100, 200); (110,120) is (200, 200).
    expect(b.at(100, 200)).toBe(255);
    expect(b.at(150, 200)).toBe(255);
    expect(b.at(150, 220)).toBe(0);
    expect(pointer).toEqual({ x: 200, y: 200 });
    expect(state().masks[0]!.painted).toBe(true);
    undo();
    expect(b.at(150, 200)).toBe(0);
  });

  it('uses every coalesced sample of a move', () => {
    input.onDown(ev('pointerdown', 20, 30));
    const samples = [ev('pointermove', 20, 80), ev('pointermove', 80, 80)];
    input.onMove(ev('pointermove', 80, 80, { getCoalescedEvents: () => samples }));
    input.onUp(ev('pointerup', 80, 80));
    const b = getBitmap(state().selectedId!)!;
    // The corner (20,80) → image (20,120) is only reached through the first sample.
    expect(b.at(20, 120)).toBe(255);
  });

  it('erases only the selected mask', () => {
    drag([
      [60, 120],
      [110, 120],
    ]);
    const first = state().selectedId!;
    addDynamicMask();
    drag([
      [60, 120],
      [110, 120],
    ]);
    setTool('eraser');
    drag([
      [50, 120],
      [120, 120],
    ]);
    expect(getBitmap(state().selectedId!)!.empty).toBe(true);
    expect(getBitmap(first)!.at(150, 200)).toBe(255);
  });

  it('pans instead of painting while Space is held, and with the middle button', () => {
    input.setSpace(true);
    drag([
      [60, 120],
      [90, 100],
    ]);
    expect(viewport).toEqual({ scale: 0.5, offsetX: 40, offsetY: 0 });
    input.setSpace(false);
    drag(
      [
        [0, 0],
        [5, 5],
      ],
      { button: 1 },
    );
    expect(viewport.offsetX).toBe(45);
    expect(state().masks).toHaveLength(0);
  });

  it('turns a second finger into a pinch and drops what the first finger painted', () => {
    const touch = (id: number) => ({ pointerType: 'touch', pointerId: id }) as Partial<PointerEvent>;
    input.onDown(ev('pointerdown', 100, 100, touch(1)));
    input.onMove(ev('pointermove', 120, 100, touch(1)));
    input.onDown(ev('pointerdown', 200, 100, touch(2)));
    input.onMove(ev('pointermove', 250, 100, touch(2)));
    // Fingers 80 apart (120 and 200) → 130 (120 and 250): zoom ×1.625.
    expect(viewport.scale).toBeCloseTo(0.5 * 1.625);
    input.onUp(ev('pointerup', 250, 100, touch(2)));
    input.onUp(ev('pointerup', 120, 100, touch(1)));
    const id = state().selectedId;
    expect(id && getBitmap(id)!.empty).toBe(true);
  });

  it('zooms with the wheel about the pointer', () => {
    const before = {
      x: (210 - viewport.offsetX) / viewport.scale,
      y: (120 - viewport.offsetY) / viewport.scale,
    };
    input.onWheel({
      deltaY: -100,
      deltaMode: 0,
      ctrlKey: false,
      clientX: 210,
      clientY: 120,
      preventDefault() {},
    } as WheelEvent);
    expect(viewport.scale).toBeGreaterThan(0.5);
    expect((210 - viewport.offsetX) / viewport.scale).toBeCloseTo(before.x);
    expect((120 - viewport.offsetY) / viewport.scale).toBeCloseTo(before.y);
  });

  it('zooms a Ctrl+wheel notch by one step at most, about the pointer, and a pinch in proportion', () => {
    const wheel = (deltaY: number, ctrlKey: boolean) =>
      input.onWheel({
        deltaY,
        deltaMode: 0,
        ctrlKey,
        clientX: 210,
        clientY: 120,
        preventDefault() {},
      } as WheelEvent);
    const start = viewport.scale;
    wheel(-300, true);
    expect(viewport.scale / start).toBeCloseTo(ZOOM_STEP, 9);
    const mid = viewport.scale;
    wheel(-2.5, true);
    expect(viewport.scale / mid).toBeCloseTo(Math.exp(0.025), 9);
  });

  it('recovers from a lost release: the next press finishes the open stroke first', () => {
    input.onDown(ev('pointerdown', 60, 120));
    input.onMove(ev('pointermove', 110, 120));
    expect(input.busy).toBe(true);
    drag([
      [60, 160],
      [110, 160],
    ]);
    expect(input.busy).toBe(false);
    const b = getBitmap(state().selectedId!)!;
    expect(b.at(150, 200)).toBe(255);
    expect(b.at(150, 280)).toBe(255);
    // Two strokes, two undo steps (after the mask's own creation).
    undo();
    expect(b.at(150, 280)).toBe(0);
    expect(b.at(150, 200)).toBe(255);
  });
});

describe('trajectory input', () => {
  it('draws a path on the selected dynamic mask, in image pixels', () => {
    addDynamicMask();
    setTool('trajectory');
    drag([
      [60, 120],
      [80, 100],
      [110, 70],
    ]);
    expect(state().masks[0]!.path).toEqual([
      { x: 100, y: 200 },
      { x: 140, y: 160 },
      { x: 200, y: 100 },
    ]);
  });

  it('explains why nothing happens when the static mask is selected', () => {
    selectStatic();
    setTool('trajectory');
    drag([
      [60, 120],
      [110, 70],
    ]);
    expect(state().notice).toMatch(/Paths belong to dynamic masks/);
    expect(state().masks[0]!.path).toEqual([]);
  });

  it('Delete removes the point last touched', () => {
    addDynamicMask();
    setTool('trajectory');
    drag([
      [60, 120],
      [110, 70],
    ]);
    input.deletePoint();
    expect(state().masks[0]!.path).toEqual([{ x: 100, y: 200 }]);
  });
});
