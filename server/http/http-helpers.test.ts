import { describe, expect, it } from 'vitest';
import { canMove } from '../../contract/tasks/status-order.ts';
import { parseRange } from './file-response.ts';
import { jsonDepthExceeds, LIFT_MIN_BYTES, parseJsonBytes } from './read-json-body.ts';

describe('parseRange', () => {
  it.each([
    [undefined, undefined],
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=100-', { start: 100, end: 999 }],
    ['bytes=-10', { start: 990, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    ['bytes=900-5000', { start: 900, end: 999 }],
    ['bytes=1000-', 'invalid'],
    ['bytes=5-4', 'invalid'],
    ['bytes=-0', 'invalid'],
    ['bytes=-', 'invalid'],
    ['items=0-1', 'invalid'],
    ['bytes=0-1,5-6', undefined],
  ])('%s of 1000 bytes → %o', (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected);
  });
});

describe('jsonDepthExceeds', () => {
  it('counts brackets outside strings only', () => {
    expect(jsonDepthExceeds('{"a":[[1]]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[[[1]]]}', 3)).toBe(true);
    expect(jsonDepthExceeds(`{"a":"${'['.repeat(100)}"}`, 2)).toBe(false);
    expect(jsonDepthExceeds(`{"a":"\\"${'{'.repeat(100)}"}`, 2)).toBe(false);
    expect(jsonDepthExceeds('['.repeat(1_000_000), 32)).toBe(true);
    expect(jsonDepthExceeds(`{"a":"x\\\\"}${'['.repeat(5)}`, 4)).toBe(true);
    expect(jsonDepthExceeds(`["${'\\\\'.repeat(3)}\\"[[[["]`, 2)).toBe(false);
  });
});

describe('parseJsonBytes', () => {
  const big = (ch = 'Q') => `${ch.repeat(LIFT_MIN_BYTES + 4)}==`;
  const parse = (text: string) => parseJsonBytes(Buffer.from(text), 32);

  it('parses exactly as JSON.parse, long base64 strings included', () => {
    for (const value of [
      { image: big(), prompt: 'café ☕', n: [1, 2.5, null, true] },
      {
        image: big('A'),
        dynamic_masks: [{ mask: big('B'), trajectories: [{ x: 1, y: 2 }] }],
        tail: big('C'),
      },
      [big(), big('z'), { x: big('+/') }],
      // Long strings JSON does not keep verbatim are parsed the ordinary way.
      { prompt: `${'line\n'.repeat(LIFT_MIN_BYTES / 4)}`, quoted: `"${big()}"`, accents: `é${big()}` },
      // A long key is never lifted.
      { [big()]: 1, v: big() },
    ]) {
      const text = JSON.stringify(value);
      expect(parse(text)).toEqual(JSON.parse(text));
      expect(parse(text.replace(/,/g, ' ,\n\t').replace(/:/g, ' \r\n:'))).toEqual(JSON.parse(text));
    }
  });

  it('refuses what JSON.parse refuses, however the long strings sit', () => {
    for (const text of [
      `{"image":"${big()}"`,
      `{"image" "${big()}"}`,
      `{"image":"${big()}",}`,
      `{"image":${big()}}`,
      `{"a":"x"${big()}"}`,
      `{"image":"${big()}`,
      `["${big()}" "${big()}"]`,
    ]) {
      expect(() => JSON.parse(text)).toThrow();
      expect(() => parse(text), text.slice(0, 20)).toThrow(/not valid JSON/);
    }
  });

  it('never swaps a string the client sent for a lifted one', () => {
    const text = JSON.stringify({ a: big(), b: 'ffffffff-ffff-4fff-8fff-ffffffffffff:0' });
    expect(parse(text)).toEqual(JSON.parse(text));
  });

  it('keeps the depth guard', () => {
    expect(() => parse(`{"image":"${big()}","x":${'['.repeat(40)}${']'.repeat(40)}}`)).toThrow(/nested/);
  });
});

describe('status order', () => {
  it.each([
    ['submitted', 'processing', true],
    ['submitted', 'succeed', true],
    ['processing', 'failed', true],
    ['processing', 'submitted', false],
    ['processing', 'processing', false],
    ['succeed', 'processing', false],
    ['succeed', 'failed', false],
    ['failed', 'succeed', false],
  ] as const)('%s → %s: %s', (from, to, ok) => {
    expect(canMove(from, to)).toBe(ok);
  });
});
