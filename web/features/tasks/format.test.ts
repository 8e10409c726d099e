import { describe, expect, it } from 'vitest';
import { excerpt, formatApprox, formatElapsed } from './format.ts';

describe('formatElapsed', () => {
  it.each([
    [0, '0:00'],
    [7_400, '0:07'],
    [200_000, '3:20'],
    [3_725_000, '1:02:05'],
    [-1, '0:00'],
  ])('%i ms → %s', (ms, text) => expect(formatElapsed(ms)).toBe(text));
});

describe('formatApprox', () => {
  it.each([
    [45, 'about 45 s'],
    [150, 'about 3 min'],
    [180, 'about 3 min'],
  ])('%i s → %s', (s, text) => expect(formatApprox(s)).toBe(text));
});

describe('excerpt', () => {
  it('collapses whitespace and cuts long prompts with an ellipsis', () => {
    expect(excerpt('  a\n\n cat ')).toBe('a cat');
    expect(excerpt('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
