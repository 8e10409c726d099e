import { describe, expect, it } from 'vitest';
import { apiPointToOutput, offsetAtProgress, pointAtArcFraction } from './trajectory.ts';

describe('apiPointToOutput', () => {
  it('flips the bottom-left origin to top-left and scales to the output', () => {
    const image = { width: 640, height: 360 };
    const output = { width: 1280, height: 720 };
    expect(apiPointToOutput({ x: 0, y: 0 }, image, output)).toEqual({ x: 0, y: 720 });
    expect(apiPointToOutput({ x: 100, y: 100 }, image, output)).toEqual({ x: 200, y: 520 });
    expect(apiPointToOutput({ x: 640, y: 360 }, image, output)).toEqual({ x: 1280, y: 0 });
  });
});

describe('pointAtArcFraction', () => {
  const lShape = [
    { x: 0, y: 0 },
    { x: 30, y: 0 },
    { x: 30, y: 10 },
  ];

  it('hits the ends at 0 and 1', () => {
    expect(pointAtArcFraction(lShape, 0)).toEqual({ x: 0, y: 0 });
    expect(pointAtArcFraction(lShape, 1)).toEqual({ x: 30, y: 10 });
  });

  it('interpolates by length, not by point index', () => {
    // Total length 40: halfway is 20 along the first, longer segment, not the corner point.
    expect(pointAtArcFraction(lShape, 0.5)).toEqual({ x: 20, y: 0 });
    expect(pointAtArcFraction(lShape, 0.875)).toEqual({ x: 30, y: 5 });
  });

  it('keeps constant speed however unevenly the path is sampled', () => {
    const sparse = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
    ];
    const dense = [
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 2, y: 0 },
      { x: 3, y: 0 },
      { x: 100, y: 0 },
    ];
    for (const f of [0.1, 0.25, 0.6, 0.9]) {
      expect(pointAtArcFraction(dense, f).x).toBeCloseTo(pointAtArcFraction(sparse, f).x, 9);
    }
  });

  it('skips repeated points and stays put on a zero-length path', () => {
    const repeated = [
      { x: 5, y: 5 },
      { x: 5, y: 5 },
      { x: 15, y: 5 },
    ];
    expect(pointAtArcFraction(repeated, 0.5)).toEqual({ x: 10, y: 5 });
    expect(pointAtArcFraction([{ x: 7, y: 8 }], 0.5)).toEqual({ x: 7, y: 8 });
    expect(
      pointAtArcFraction(
        [
          { x: 7, y: 8 },
          { x: 7, y: 8 },
        ],
        1,
      ),
    ).toEqual({ x: 7, y: 8 });
  });

  it('clamps fractions outside 0..1', () => {
    expect(pointAtArcFraction(lShape, -1)).toEqual({ x: 0, y: 0 });
    expect(pointAtArcFraction(lShape, 2)).toEqual({ x: 30, y: 10 });
  });

  it('refuses an empty path', () => {
    expect(() => pointAtArcFraction([], 0.5)).toThrow(RangeError);
  });
});

describe('offsetAtProgress', () => {
  it('is the travel from the first point', () => {
    const path = [
      { x: 200, y: 520 },
      { x: 800, y: 220 },
    ];
    expect(offsetAtProgress(path, 0)).toEqual({ x: 0, y: 0 });
    expect(offsetAtProgress(path, 1)).toEqual({ x: 600, y: -300 });
    expect(offsetAtProgress(path, 0.5)).toEqual({ x: 300, y: -150 });
  });
});
