import { describe, expect, it } from 'vitest';
import { type BinaryMask, binaryMask, cutOut, dilateMask, unionMasks } from './mask-ops.ts';

const size = { width: 8, height: 6 };

function maskWith(points: [number, number][]): BinaryMask {
  const grey = new Uint8Array(size.width * size.height);
  for (const [x, y] of points) grey[y * size.width + x] = 255;
  return binaryMask(grey, size);
}

const setCount = (mask: BinaryMask) => mask.pixels.reduce((n, v) => n + (v ? 1 : 0), 0);

describe('mask helpers', () => {
  it('counts only pixels brighter than 127', () => {
    const mask = binaryMask(Uint8Array.from([0, 127, 128, 255]), { width: 4, height: 1 });
    expect([...mask.pixels]).toEqual([0, 0, 255, 255]);
  });

  it('bounds a region on even coordinates and sizes', () => {
    expect(
      maskWith([
        [3, 1],
        [4, 2],
      ]).bounds,
    ).toEqual({ x: 2, y: 0, width: 4, height: 4 });
    expect(maskWith([[7, 5]]).bounds).toEqual({ x: 6, y: 4, width: 2, height: 2 });
    expect(maskWith([]).bounds).toBeNull();
  });

  it('unions masks and their bounds', () => {
    const union = unionMasks([maskWith([[1, 1]]), maskWith([[6, 3]]), maskWith([])], size);
    expect(union.pixels[1 * 8 + 1]).toBe(255);
    expect(union.pixels[3 * 8 + 6]).toBe(255);
    expect(setCount(union)).toBe(2);
    expect(union.bounds).toEqual({ x: 0, y: 0, width: 8, height: 4 });
    expect(unionMasks([maskWith([])], size).bounds).toBeNull();
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
    const set = (x: number, y: number) => grown.pixels[y * 8 + x] === 255;
    expect(set(1, 1) && set(0, 1) && set(1, 0)).toBe(true);
    expect(set(4, 2) && set(6, 4) && set(6, 2)).toBe(true);
    expect(set(2, 2) || set(7, 3)).toBe(false);
    expect(setCount(grown)).toBe(4 + 9);
    // Its bounds still hold every set pixel.
    const box = grown.bounds!;
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 8; x++) {
        if (set(x, y))
          expect(x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height).toBe(true);
      }
    }
  });

  it('leaves an empty mask empty', () => {
    expect(setCount(dilateMask(maskWith([]), size, 3))).toBe(0);
  });
});
