import { describe, expect, it } from 'vitest';
import { PUSH_IN, poseAt, sourceQuad } from './camera.ts';
import { shotFrameRanges } from './frame-geometry.ts';
import { framingAt, framingQuad, multiShotQuads, SHOT_MOVES, shotMove } from './shot-framing.ts';

const size = { width: 1280, height: 720 };

/** How far apart two framings' source rectangles are: a shift of centre or of width, as a fraction. */
function jump(a: ReturnType<typeof framingQuad>, b: ReturnType<typeof framingQuad>): number {
  const widthA = a.topRight.x - a.topLeft.x;
  const widthB = b.topRight.x - b.topLeft.x;
  const centre = (q: typeof a) => ({
    x: (q.topLeft.x + q.topRight.x) / 2,
    y: (q.topLeft.y + q.bottomLeft.y) / 2,
  });
  const ca = centre(a);
  const cb = centre(b);
  return Math.max(
    Math.abs(Math.log(widthA / widthB)),
    Math.abs(ca.x - cb.x) / size.width,
    Math.abs(ca.y - cb.y) / size.height,
  );
}

describe('shot moves', () => {
  it('starts shot 1 on the untouched start frame and moves it like the single-shot push-in', () => {
    const first = shotMove(0);
    const quad = framingQuad(framingAt(first, 0), size);
    expect(quad).toEqual({
      topLeft: { x: 0, y: 0 },
      topRight: { x: 1280, y: 0 },
      bottomLeft: { x: 0, y: 720 },
      bottomRight: { x: 1280, y: 720 },
    });
    const end = framingQuad(framingAt(first, 1), size);
    const pushIn = sourceQuad(poseAt(PUSH_IN, 1, size), size);
    expect(end.topLeft.x).toBeCloseTo(pushIn.topLeft.x, 6);
    expect(end.bottomRight.y).toBeCloseTo(pushIn.bottomRight.y, 6);
  });

  it('never shows past the picture’s edges', () => {
    for (const move of SHOT_MOVES) {
      for (const t of [0, 0.25, 0.5, 0.75, 1]) {
        const quad = framingQuad(framingAt(move, t), size);
        expect(quad.topLeft.x).toBeGreaterThanOrEqual(-1e-9);
        expect(quad.topLeft.y).toBeGreaterThanOrEqual(-1e-9);
        expect(quad.bottomRight.x).toBeLessThanOrEqual(size.width + 1e-9);
        expect(quad.bottomRight.y).toBeLessThanOrEqual(size.height + 1e-9);
      }
    }
    // A framing asking for a view past the edge is pulled back inside.
    const clamped = framingQuad({ scale: 2, x: 0.95, y: 0.02 }, size);
    expect(clamped.topRight.x).toBeCloseTo(1280, 9);
    expect(clamped.topLeft.y).toBeCloseTo(0, 9);
  });

  it('jumps far at every cut, further than any shot moves in a frame, for ten shots in a row', () => {
    for (let i = 0; i < 10; i++) {
      const end = framingQuad(framingAt(shotMove(i), 1), size);
      const next = framingQuad(framingAt(shotMove(i + 1), 0), size);
      expect(jump(end, next)).toBeGreaterThan(0.15);
    }
  });

  it('is the same move for the same shot index, and refuses a negative index', () => {
    expect(shotMove(7)).toBe(shotMove(7));
    expect(shotMove(6)).not.toBe(shotMove(0));
    expect(() => shotMove(-1)).toThrow(RangeError);
  });
});

describe('multiShotQuads', () => {
  it('has one quad a frame, moving smoothly inside shots and jumping only at their boundaries', () => {
    const ranges = shotFrameRanges(24, [4, 5, 3]);
    const quads = multiShotQuads(ranges, size);
    expect(quads).toHaveLength(288);
    const boundaries = new Set(ranges.slice(1).map((range) => range.from));
    for (let i = 1; i < quads.length; i++) {
      const step = jump(quads[i - 1]!, quads[i]!);
      if (boundaries.has(i)) expect(step).toBeGreaterThan(0.15);
      else expect(step).toBeLessThan(0.01);
    }
  });
});
