import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../../contract/images/base64.ts';
import { encodePng } from '../../testing/png.ts';
import { toBase64 } from './to-base64.ts';

describe('toBase64', () => {
  it.each([0, 1, 2, 3, 0x8000 + 1])('matches the contract encoder for %i bytes', (n) => {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37) & 0xff);
    expect(toBase64(bytes)).toBe(encodeBase64(bytes));
  });

  it('matches it on a real PNG larger than one chunk', () => {
    const png = encodePng(300, 300);
    expect(toBase64(png)).toBe(encodeBase64(png));
  });
});
