import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodePngGray, encodeGrayPng, toBinary, UnsupportedPng } from './png.ts';

describe('mask PNGs', () => {
  it('encodes 8-bit greyscale that sharp reads back at the exact size and values', async () => {
    const w = 37;
    const h = 23;
    const gray = new Uint8Array(w * h);
    for (let y = 5; y < 15; y++) gray.fill(255, y * w + 10, y * w + 30);
    const png = await encodeGrayPng(w, h, gray);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.channels, meta.format]).toEqual([w, h, 1, 'png']);
    const data = await sharp(png).extractChannel(0).raw().toBuffer();
    expect(new Uint8Array(data)).toEqual(gray);
  });

  it('round-trips through its own decoder', async () => {
    const gray = Uint8Array.from({ length: 64 * 16 }, (_, i) => (i % 7 === 0 ? 255 : 0));
    const img = await decodePngGray(await encodeGrayPng(64, 16, gray));
    expect(img.width).toBe(64);
    expect(img.gray).toEqual(gray);
  });

  it.each([
    ['RGBA', { channels: 4 as const, background: { r: 0, g: 0, b: 0, alpha: 1 } }],
    ['RGB', { channels: 3 as const, background: { r: 0, g: 0, b: 0 } }],
  ])('decodes a white-on-black %s PNG written by another encoder (all row filters)', async (_, create) => {
    const w = 40;
    const h = 30;
    const square = await sharp({
      create: { width: 12, height: 8, channels: create.channels, background: '#ffffff' },
    })
      .png()
      .toBuffer();
    const png = await sharp({ create: { width: w, height: h, ...create } })
      .composite([{ input: square, left: 20, top: 4 }])
      .png({ adaptiveFiltering: true, compressionLevel: 9 })
      .toBuffer();
    const img = await decodePngGray(new Uint8Array(png));
    const bin = toBinary(img.gray);
    expect(bin[6 * w + 25]).toBe(255);
    expect(bin[20 * w + 5]).toBe(0);
    expect(bin.reduce((n, v) => n + (v ? 1 : 0), 0)).toBe(12 * 8);
  });

  it('refuses variants it does not handle, so the caller can use the browser decoder', async () => {
    const png16 = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
      .png()
      .toColourspace('rgb16')
      .toBuffer();
    await expect(decodePngGray(new Uint8Array(png16))).rejects.toBeInstanceOf(UnsupportedPng);
    await expect(decodePngGray(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(UnsupportedPng);
  });
});
