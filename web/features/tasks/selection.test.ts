import { describe, expect, it } from 'vitest';
import { canWipe, comparable, compareHint, MAX_COMPARED, togglePick } from './selection.ts';
import { followerTarget } from './use-synced-playback.ts';

describe('togglePick', () => {
  it('adds in pick order and removes again, with no cap (Download takes any number)', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].reduce<string[]>((p, id) => togglePick(p, id), []);
    expect(five).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(togglePick(five, 'c')).toEqual(['a', 'b', 'd', 'e']);
    expect(togglePick([], 'a')).toEqual(['a']);
  });
});

describe('comparable and compareHint', () => {
  it('compares two to four picks and says why it will not otherwise', () => {
    expect(comparable(['a'])).toBeNull();
    expect(compareHint(1)).toBe('pick one more to compare');
    expect(comparable(['a', 'b'])).toEqual(['a', 'b']);
    expect(comparable(['a', 'b', 'c', 'd'])).toHaveLength(MAX_COMPARED);
    expect(compareHint(4)).toBeNull();
    expect(comparable(['a', 'b', 'c', 'd', 'e'])).toBeNull();
    expect(compareHint(5)).toBe('Compare shows up to 4');
  });

  it('offers the wipe for a pair only', () => {
    expect(canWipe(['a', 'b'])).toBe(true);
    expect(canWipe(['a', 'b', 'c'])).toBe(false);
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
