import { describe, expect, it } from 'vitest';
import { jpegHeader, pngHeader } from '../testing/test-images.ts';
import { base64DecodedLength, decodeBase64Prefix, encodeBase64, isWellFormedBase64 } from './base64.ts';
import { sniffImage } from './sniff.ts';

describe('sniffImage', () => {
  it.each([
    ['png', pngHeader(1280, 720), { format: 'png', width: 1280, height: 720 }],
    ['jpeg', jpegHeader(640, 480), { format: 'jpeg', width: 640, height: 480 }],
    ['gif', new TextEncoder().encode('GIF89a....'), { format: 'gif', width: 0, height: 0 }],
    [
      'svg',
      new TextEncoder().encode('<?xml version="1.0"?><svg xmlns="x"/>'),
      { format: 'svg', width: 0, height: 0 },
    ],
    ['text', new TextEncoder().encode('hello world'), { format: 'unknown', width: 0, height: 0 }],
  ])('reads %s headers', (_name, bytes, expected) => {
    expect(sniffImage(bytes)).toMatchObject(expected);
  });

  it('reads huge declared dimensions from a tiny file without decoding (decompression bombs)', () => {
    expect(sniffImage(pngHeader(60000, 60000))).toMatchObject({ width: 60000, height: 60000, bytes: 64 });
  });
});

describe('base64', () => {
  it.each([0, 1, 2, 3, 4, 5, 100])('round-trips %i bytes', (n) => {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37) & 0xff);
    const b64 = encodeBase64(bytes);
    expect(b64).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64DecodedLength(b64)).toBe(n);
    expect(Array.from(decodeBase64Prefix(b64))).toEqual(Array.from(bytes));
  });

  it('decodes only the prefix asked for', () => {
    const b64 = encodeBase64(pngHeader(10, 10, 1000));
    expect(decodeBase64Prefix(b64, 24)).toHaveLength(24);
  });

  it.each([
    ['iVBORw0KGgo=', true],
    ['', false],
    ['abc', false],
    ['ab$d', false],
    ['data:image/png;base64,iVBO', false],
    ['aGVsbG8=\n', false],
    ['ab=d', false],
    ['a===', false],
    ['ab==', true],
    ['abc=', true],
    ['ab\u00e9d', false],
  ])('%j well-formed: %s', (value, ok) => {
    expect(isWellFormedBase64(value)).toBe(ok);
  });
});
