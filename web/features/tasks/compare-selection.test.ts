import { describe, expect, it } from 'vitest';
import { isPair, toggleCompare } from './compare-selection.ts';
import { followerTarget } from './use-synced-playback.ts';

describe('toggleCompare', () => {
  it('adds, removes, and replaces the oldest pick on a third', () => {
    expect(toggleCompare([], 'a')).toEqual(['a']);
    expect(toggleCompare(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggleCompare(['a', 'b'], 'a')).toEqual(['b']);
    expect(toggleCompare(['a', 'b'], 'c')).toEqual(['b', 'c']);
    expect(isPair(['a'])).toBe(false);
    expect(isPair(['a', 'b'])).toBe(true);
  });
});

describe('followerTarget', () => {
  it('follows the leader, wrapping on a shorter looping follower', () => {
    expect(followerTarget(3.2, 5.1)).toBeCloseTo(3.2);
    expect(followerTarget(7.2, 5.1)).toBeCloseTo(2.1); // 7.2 - 5.1
    // Until metadata loads the duration is NaN: just follow.
    expect(followerTarget(1.5, Number.NaN)).toBe(1.5);
  });
});
