import { describe, expect, it } from 'vitest';
import { median, percentile } from './stats.ts';

describe('percentile (nearest rank)', () => {
  const s = Array.from({ length: 100 }, (_, i) => i + 1);
  it.each([
    [50, 50],
    [95, 95],
    [99, 99],
    [100, 100],
    [0, 1],
  ])('p%i of 1..100 = %i', (p, v) => expect(percentile(s, p)).toBe(v));
  it('median of an odd set', () => expect(median([5, 1, 3])).toBe(3));
  it('NaN for no samples', () => expect(percentile([], 50)).toBeNaN());
});
