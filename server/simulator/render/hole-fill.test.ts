import { describe, expect, it } from 'vitest';
import { fillHoles } from './hole-fill.ts';
import { binaryMask } from './mask-ops.ts';

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
  const holeGrey = new Uint8Array(big.width * big.height);
  for (let y = 10; y < 22; y++) for (let x = 6; x < 18; x++) holeGrey[y * big.width + x] = 255;
  const hole = binaryMask(holeGrey, big);

  it('fills a hole from its surroundings and leaves everything else alone', () => {
    const filled = fillHoles(rgb, hole, big);
    for (let i = 0; i < holeGrey.length; i++) {
      if (!hole.pixels[i]) expect(filled.subarray(i * 3, i * 3 + 3)).toEqual(rgb.subarray(i * 3, i * 3 + 3));
    }
    // The hole sits in the red half: its middle must come out red, not black or blue.
    const middle = (16 * big.width + 12) * 3;
    expect(filled[middle]).toBeGreaterThan(150);
    expect(filled[middle + 2]).toBeLessThan(60);
  });

  it('falls back to grey when there is nothing to borrow from', () => {
    const filled = fillHoles(rgb, binaryMask(new Uint8Array(holeGrey.length).fill(255), big), big);
    expect([...filled.subarray(0, 3)]).toEqual([128, 128, 128]);
  });

  it('is deterministic', () => {
    expect(fillHoles(rgb, hole, big)).toEqual(fillHoles(rgb, hole, big));
  });
});
