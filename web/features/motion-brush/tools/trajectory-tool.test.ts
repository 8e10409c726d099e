import { describe, expect, it } from 'vitest';
import type { Pt } from '../model/types.ts';
import type { ToolEvent } from './events.ts';
import {
  previewPointCount,
  type TrajectoryState,
  trajectoryIdle,
  trajectoryTool,
} from './trajectory-tool.ts';

const size = { width: 1000, height: 500 };
const down = (x: number, y: number, extra: Partial<{ button: number; alt: boolean }> = {}): ToolEvent => ({
  type: 'down',
  pointerId: 1,
  at: { x, y },
  button: extra.button ?? 0,
  alt: extra.alt ?? false,
});
const move = (...points: Pt[]): ToolEvent => ({ type: 'move', pointerId: 1, points });
const up: ToolEvent = { type: 'up', pointerId: 1 };

/** Runs events from a state, threading the path through 'live' and 'commit' effects like the editor does. */
function drive(path: Pt[], events: ToolEvent[], start: TrajectoryState = trajectoryIdle) {
  let state = start;
  let current = path;
  const effects: string[] = [];
  for (const e of events) {
    const [next, fx] = trajectoryTool(state, e, { path: current, size, hitRadius: 10 });
    state = next;
    for (const f of fx) {
      effects.push(f.type);
      if (f.type === 'live') current = f.path;
      if (f.type === 'commit') current = f.after;
    }
  }
  return { state, path: current, effects };
}

describe('trajectory tool', () => {
  describe('when idle on empty canvas', () => {
    it('a click appends a point (point-by-point drawing)', () => {
      const r = drive([{ x: 10, y: 10 }], [down(100, 100), up]);
      expect(r.path).toEqual([
        { x: 10, y: 10 },
        { x: 100, y: 100 },
      ]);
      expect(r.state).toEqual({ kind: 'idle', active: 1 });
    });
    it('a drag draws a new freehand path, resampled to at most 77 points, replacing the old one', () => {
      const samples = Array.from({ length: 300 }, (_, i) => ({ x: 100 + i * 2, y: 400 - i }));
      const r = drive(
        [
          { x: 1, y: 1 },
          { x: 2, y: 2 },
        ],
        [down(100, 400), move(...samples), up],
      );
      expect(r.path).toHaveLength(77);
      expect(r.path[0]).toEqual({ x: 100, y: 400 });
      expect(r.path[76]).toEqual({ x: 698, y: 101 });
      expect(r.effects).toEqual(['preview', 'commit']);
    });
    it('keeps points inside the image', () => {
      const r = drive([], [down(-50, 900), up]);
      expect(r.path).toEqual([{ x: 0, y: 500 }]);
    });
  });

  describe('when idle over the path', () => {
    const path = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
    ];
    it('drags a point it lands on', () => {
      const r = drive(path, [down(98, 3), move({ x: 150, y: 60 }), up]);
      expect(r.path).toEqual([
        { x: 0, y: 0 },
        { x: 150, y: 60 },
      ]);
      expect(r.effects).toEqual(['live', 'commit']);
    });
    it('inserts a point on a segment and drags it', () => {
      const r = drive(path, [down(50, 4), move({ x: 50, y: 40 }), up]);
      expect(r.path).toEqual([
        { x: 0, y: 0 },
        { x: 50, y: 40 },
        { x: 100, y: 0 },
      ]);
    });
    it('deletes a point on Alt-click or right-click, and the last touched point on Delete', () => {
      expect(drive(path, [down(0, 0, { alt: true })]).path).toEqual([{ x: 100, y: 0 }]);
      expect(drive(path, [down(100, 0, { button: 2 })]).path).toEqual([{ x: 0, y: 0 }]);
      expect(drive(path, [down(100, 0), up, { type: 'delete' }]).path).toEqual([{ x: 0, y: 0 }]);
    });
    it('a click on a point without moving makes no undo step', () => {
      expect(drive(path, [down(100, 0), up]).effects).toEqual([]);
    });
  });

  describe('cancel', () => {
    it('puts a dragged point back', () => {
      const path = [
        { x: 0, y: 0 },
        { x: 100, y: 0 },
      ];
      const r = drive(path, [down(100, 0), move({ x: 300, y: 300 }), { type: 'cancel' }]);
      expect(r.path).toEqual(path);
      expect(r.state).toEqual(trajectoryIdle);
    });
    it('drops a freehand stroke', () => {
      const r = drive([], [down(0, 0), move({ x: 200, y: 200 }), { type: 'cancel' }]);
      expect(r.path).toEqual([]);
      expect(r.effects).toEqual(['preview', 'preview']);
    });
  });

  it('refuses a 78th point', () => {
    const full = Array.from({ length: 77 }, (_, i) => ({ x: i * 25, y: 250 }));
    const r = drive(full, [down(5, 400), up]);
    expect(r.path).toHaveLength(77);
    expect(r.effects).toEqual(['notice']);
    expect(drive(full, [down(12, 252), up]).effects).toEqual(['notice']);
  });

  it('counts what a freehand stroke will keep', () => {
    expect(previewPointCount(Array.from({ length: 500 }, (_, i) => ({ x: i, y: 0 })))).toBe(77);
    expect(
      previewPointCount([
        { x: 0, y: 0 },
        { x: 0, y: 0 },
        { x: 4, y: 0 },
      ]),
    ).toBe(2);
  });
});
