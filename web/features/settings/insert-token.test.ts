import { describe, expect, it } from 'vitest';
import { insertToken, voiceToken } from './insert-token.ts';

describe('insertToken', () => {
  it.each([
    // [text, start, end, expected text, expected caret]
    ['The man says hi', 8, 8, 'The man <<<voice_1>>>says hi', 21],
    ['', 0, 0, '<<<voice_1>>>', 13],
    ['replace ME please', 8, 10, 'replace <<<voice_1>>> please', 21],
    ['out of range', 99, 120, 'out of range<<<voice_1>>>', 25],
  ])('%j at %i..%i', (text, start, end, expected, caret) => {
    expect(insertToken(text, start, end, voiceToken(1))).toEqual({ text: expected, caret });
  });
});
