import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isStructurallyIntact } from './image-integrity.ts';

const raw = { raw: { width: 320, height: 200, channels: 3 as const } };
const pixels = Buffer.alloc(320 * 200 * 3, 90);
const png = await sharp(pixels, raw).png().toBuffer();
const jpeg = await sharp(pixels, raw).jpeg().toBuffer();

describe('isStructurallyIntact', () => {
  it('accepts whole PNG and JPEG files', () => {
    expect(isStructurallyIntact(png, 'png')).toBe(true);
    expect(isStructurallyIntact(jpeg, 'jpeg')).toBe(true);
    expect(isStructurallyIntact(Buffer.concat([jpeg, Buffer.alloc(16)]), 'jpeg')).toBe(true);
  });

  it.each([
    ['a PNG cut short', () => png.subarray(0, png.length - 20), 'png'],
    ['a PNG with one flipped byte', () => flip(png, Math.floor(png.length / 2)), 'png'],
    ['a PNG header alone', () => png.subarray(0, 33), 'png'],
    ['a JPEG cut short', () => jpeg.subarray(0, jpeg.length - 30), 'jpeg'],
    ['a JPEG with a broken segment length', () => flip(jpeg, 4, 0x00), 'jpeg'],
  ] as const)('refuses %s', (_name, make, format) => {
    expect(isStructurallyIntact(make(), format)).toBe(false);
  });
});

function flip(b: Buffer, at: number, value?: number): Buffer {
  const copy = Buffer.from(b);
  copy[at] = value ?? copy[at]! ^ 0xff;
  if (value !== undefined) copy[at + 1] = value;
  return copy;
}
