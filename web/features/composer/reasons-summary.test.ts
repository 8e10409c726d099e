import { describe, expect, it } from 'vitest';
import { summarizeReasons } from './reasons-summary.ts';

const v = (field: string, message: string) => ({ field, rule: 'r', message });

describe('summarizeReasons', () => {
  it('nothing to say when nothing holds Generate back', () => {
    expect(summarizeReasons([])).toBeUndefined();
  });

  it('one reason: in full, nothing behind it', () => {
    const s = summarizeReasons([v('image', 'Start frame (image): a start frame is required')]);
    expect(s?.first.message).toBe('Start frame (image): a start frame is required');
    expect(s?.rest).toEqual([]);
    expect(s?.more).toBe('');
  });

  it('the first in full and the others counted, each message once', () => {
    const s = summarizeReasons([
      v('image', 'Start frame (image): a start frame is required'),
      v('prompt', 'Prompt: too long'),
      v('prompt', 'Prompt: too long'),
      v('static_mask', 'Static mask: nothing is painted yet'),
    ]);
    expect(s?.first.field).toBe('image');
    expect(s?.rest.map((r) => r.message)).toEqual([
      'Prompt: too long',
      'Static mask: nothing is painted yet',
    ]);
    expect(s?.more).toBe('and 2 more');
    expect(summarizeReasons([v('a', 'A'), v('b', 'B')])?.more).toBe('and 1 more');
  });
});
