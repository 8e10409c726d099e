import { describe, expect, it } from 'vitest';
import { BRUSH_MIN, brushMaxFor, stepBrushSize } from './brush-size.ts';

/** Every size `]` visits from `from` until it stops growing. */
function climb(from: number, max: number): number[] {
  const seen = [from];
  for (let i = 0; i < 200; i++) {
    const next = stepBrushSize(seen[seen.length - 1]!, 1, max);
    if (next === seen[seen.length - 1]) break;
    seen.push(next);
  }
  return seen;
}

describe('brush size steps', () => {
  it('offers a quarter of the frame’s longer side, at least 100 px', () => {
    expect(brushMaxFor({ width: 1920, height: 1080 })).toBe(480);
    expect(brushMaxFor({ width: 800, height: 600 })).toBe(200);
    expect(brushMaxFor({ width: 300, height: 300 })).toBe(100);
    expect(brushMaxFor({ width: 4096, height: 4096 })).toBe(1000);
    expect(brushMaxFor(null)).toBe(100);
  });

  it('walks round sizes up to the slider’s max and stops there (the tryout’s 40 → 594 px past a 480 max)', () => {
    const sizes = climb(40, 480);
    expect(sizes).toEqual([
      40, 45, 50, 60, 70, 80, 90, 100, 120, 140, 160, 180, 200, 250, 300, 350, 400, 450, 480,
    ]);
    expect(stepBrushSize(480, 1, 480)).toBe(480);
  });

  it('makes each step a visible change that never jumps: 1 px at the bottom, at most +25 % above 4 px', () => {
    const sizes = climb(BRUSH_MIN, 1000);
    expect(sizes[0]).toBe(1);
    expect(sizes[sizes.length - 1]).toBe(1000);
    for (let i = 1; i < sizes.length; i++) {
      const [a, b] = [sizes[i - 1]!, sizes[i]!];
      expect(b).toBeGreaterThan(a);
      if (a >= 4) expect(b / a).toBeLessThanOrEqual(1.25);
      expect(b / a).toBeGreaterThanOrEqual(1.1);
    }
  });

  it('walks back down the same stops to 1 px and no lower', () => {
    const up = climb(1, 480);
    const down = [480];
    while (down[down.length - 1]! > BRUSH_MIN) down.push(stepBrushSize(down[down.length - 1]!, -1, 480));
    expect(down).toEqual([...up].reverse());
    expect(stepBrushSize(1, -1, 480)).toBe(1);
  });

  it('moves a size dragged off the ladder to the next stop that way', () => {
    expect(stepBrushSize(43, 1, 480)).toBe(45);
    expect(stepBrushSize(43, -1, 480)).toBe(40);
    expect(stepBrushSize(470, 1, 480)).toBe(480);
    expect(stepBrushSize(470, -1, 480)).toBe(450);
  });

  it('brings a brush larger than this frame’s max back in on [, and leaves it on ]', () => {
    expect(stepBrushSize(600, -1, 200)).toBe(200);
    expect(stepBrushSize(600, 1, 200)).toBe(600);
  });
});
