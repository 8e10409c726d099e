import { describe, expect, it } from 'vitest';
import { cutOut, dilateMask, fillHoles, maskBounds, thresholdMask, unionMasks } from './hole-fill.ts';

const size = { width: 8, height: 6 };

function maskWith(points: [number, number][]): Uint8Array {
  const mask = new Uint8Array(size.width * size.height);
  for (const [x, y] of points) mask[y * size.width + x] = 255;
  return mask;
}

describe('mask helpers', () => {
  it('counts only pixels brighter than 127', () => {
    expect([...thresholdMask(Uint8Array.from([0, 127, 128, 255]))]).toEqual([0, 0, 255, 255]);
  });

  it('unions masks', () => {
    const union = unionMasks([maskWith([[1, 1]]), maskWith([[2, 3]])], size);
    expect(union[1 * 8 + 1]).toBe(255);
    expect(union[3 * 8 + 2]).toBe(255);
    expect(union.reduce((n, v) => n + (v ? 1 : 0), 0)).toBe(2);
  });

  it('bounds a region on even coordinates and sizes', () => {
    expect(
      maskBounds(
        maskWith([
          [3, 1],
          [4, 2],
        ]),
        size,
      ),
    ).toEqual({ x: 2, y: 0, width: 4, height: 4 });
    expect(maskBounds(maskWith([[7, 5]]), size)).toEqual({ x: 6, y: 4, width: 2, height: 2 });
    expect(maskBounds(new Uint8Array(48), size)).toBeNull();
  });

  it('cuts out the region with the mask as alpha', () => {
    const rgb = new Uint8Array(48 * 3).map((_, i) => i % 251);
    const mask = maskWith([[3, 1]]);
    const cut = cutOut(rgb, mask, size, { x: 2, y: 0, width: 2, height: 2 });
    // Pixel (3,1) is at (1,1) in the box.
    const i = (1 * 2 + 1) * 4;
    const src = (1 * 8 + 3) * 3;
    expect([...cut.subarray(i, i + 4)]).toEqual([rgb[src], rgb[src + 1], rgb[src + 2], 255]);
    expect(cut[3]).toBe(0);
  });

  it('dilates by a square radius, clipped at the edges', () => {
    const grown = dilateMask(
      maskWith([
        [0, 0],
        [5, 3],
      ]),
      size,
      1,
    );
    const set = (x: number, y: number) => grown[y * 8 + x] === 255;
    expect(set(1, 1) && set(0, 1) && set(1, 0)).toBe(true);
    expect(set(4, 2) && set(6, 4) && set(6, 2)).toBe(true);
    expect(set(2, 2) || set(7, 3)).toBe(false);
    expect(grown.reduce((n, v) => n + (v ? 1 : 0), 0)).toBe(4 + 9);
  });
});

describe('fillHoles', () => {
  const big = { width: 64, height: 32 };
  /** Left half red, right half blue. */
  const rgb = new Uint8Array(big.width * big.height * 3);
  for (let y = 0; y < big.height; y++) {
    for (let x = 0; x < big.width; x++) {
      const i = (y * big.width + x) * 3;
      rgb[i] = x < 32 ? 200 : 0;
      rgb[i + 2] = x < 32 ? 0 : 200;
    }
  }
  const hole = new Uint8Array(big.width * big.height);
  for (let y = 10; y < 22; y++) for (let x = 6; x < 18; x++) hole[y * big.width + x] = 255;

  it('fills a hole from its surroundings and leaves everything else alone', () => {
    const filled = fillHoles(rgb, hole, big);
    for (let i = 0; i < hole.length; i++) {
      if (!hole[i]) expect(filled.subarray(i * 3, i * 3 + 3)).toEqual(rgb.subarray(i * 3, i * 3 + 3));
    }
    // The hole sits in the red half: its middle must come out red, not black or blue.
    const middle = (16 * big.width + 12) * 3;
    expect(filled[middle]).toBeGreaterThan(150);
    expect(filled[middle + 2]).toBeLessThan(60);
  });

  it('falls back to grey when there is nothing to borrow from', () => {
    const filled = fillHoles(rgb, new Uint8Array(hole.length).fill(255), big);
    expect([...filled.subarray(0, 3)]).toEqual([128, 128, 128]);
  });

  it('is deterministic', () => {
    expect(fillHoles(rgb, hole, big)).toEqual(fillHoles(rgb, hole, big));
  });
});
