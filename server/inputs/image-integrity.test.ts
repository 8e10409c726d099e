import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { jpegCutMidScan, pngWithGarbageIdat } from '../../contract/testing/test-images.ts';
import { isStructurallyIntact, pictureDataIntact } from './image-integrity.ts';

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

describe('pictureDataIntact', () => {
  const noisy = Buffer.from(Array.from({ length: 301 * 217 * 4 }, (_, i) => (i * 37 + (i >> 7)) & 0xff));
  const rgba = { raw: { width: 301, height: 217, channels: 4 as const } };
  it.each([
    ['an 8-bit RGB PNG', () => sharp(pixels, raw).png().toBuffer()],
    ['an interlaced (Adam7) PNG', () => sharp(noisy, rgba).png({ progressive: true }).toBuffer()],
    ['a palette PNG', () => sharp(noisy, rgba).png({ palette: true, colours: 16 }).toBuffer()],
    ['a 16-bit PNG', () => sharp(noisy, rgba).toColourspace('rgb16').png().toBuffer()],
    ['a grey + alpha PNG', () => sharp(noisy, rgba).toColourspace('b-w').png().toBuffer()],
  ] as const)('accepts %s', async (_what, make) => {
    expect(await pictureDataIntact(await make(), 'png')).toBe(true);
  });

  it.each([
    ['a baseline JPEG', () => sharp(noisy, rgba).jpeg().toBuffer()],
    ['a progressive JPEG', () => sharp(noisy, rgba).jpeg({ progressive: true }).toBuffer()],
    ['a 4:4:4 JPEG', () => sharp(noisy, rgba).jpeg({ chromaSubsampling: '4:4:4' }).toBuffer()],
    ['a greyscale JPEG', () => sharp(noisy, rgba).toColourspace('b-w').jpeg().toBuffer()],
  ] as const)('accepts %s', async (_what, make) => {
    expect(await pictureDataIntact(await make(), 'jpeg')).toBe(true);
  });

  it('refuses a PNG with garbage IDAT whose framing is intact', async () => {
    const bad = pngWithGarbageIdat(640, 480);
    expect(isStructurallyIntact(bad, 'png')).toBe(true);
    expect(await pictureDataIntact(bad, 'png')).toBe(false);
  });

  it('refuses a JPEG cut mid-scan with FFD9 appended, whose framing is intact', async () => {
    const bad = jpegCutMidScan(640, 480);
    expect(isStructurallyIntact(bad, 'jpeg')).toBe(true);
    expect(await pictureDataIntact(bad, 'jpeg')).toBe(false);
  });

  it('refuses a JPEG cut halfway through its scan', async () => {
    const whole = await sharp(noisy, rgba).jpeg().toBuffer();
    const cut = Buffer.concat([whole.subarray(0, whole.length >> 1), Buffer.from([0xff, 0xd9])]);
    expect(await pictureDataIntact(cut, 'jpeg')).toBe(false);
  });
});
