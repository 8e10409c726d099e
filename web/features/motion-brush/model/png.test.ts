import { encode } from 'fast-png';
import sharp, { type PngOptions } from 'sharp';
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

  // A 12×8 white square at (20, 4) on a 40×30 black frame, written by sharp with `png` options.
  async function squarePng(png: PngOptions, to16 = false) {
    const square = await sharp({ create: { width: 12, height: 8, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    let img = sharp({ create: { width: 40, height: 30, channels: 3, background: '#000000' } }).composite([
      { input: square, left: 20, top: 4 },
    ]);
    if (to16) img = img.toColourspace('rgb16');
    return new Uint8Array(await img.png(png).toBuffer());
  }

  it.each([
    ['16-bit', {}, true],
    ['palette', { palette: true, colours: 4 }, false],
    ['1-bit palette', { palette: true, colours: 2 }, false],
    ['interlaced', { progressive: true }, false],
  ] as const)(
    'decodes a %s PNG the hand-written decoder used to hand to the browser',
    async (_, opts, to16) => {
      const png = await squarePng(opts, to16);
      const bin = toBinary((await decodePngGray(png)).gray);
      expect(bin[6 * 40 + 25]).toBe(255);
      expect(bin[20 * 40 + 5]).toBe(0);
      expect(bin.reduce((n, v) => n + (v ? 1 : 0), 0)).toBe(12 * 8);
    },
  );

  it('widens 1-bit greyscale to 0 and 255', async () => {
    // 10 × 2 pixels, rows padded to a byte boundary: 1010101010 / 0000011111.
    const data = new Uint8Array([0b10101010, 0b10000000, 0b00000111, 0b11000000]);
    const png = encode({ width: 10, height: 2, data, depth: 1, channels: 1 });
    const { gray } = await decodePngGray(png);
    expect(Array.from(gray)).toEqual([
      ...[255, 0, 255, 0, 255, 0, 255, 0, 255, 0],
      ...[0, 0, 0, 0, 0, 255, 255, 255, 255, 255],
    ]);
  });

  it('refuses what is not a PNG (or not a readable one), so the caller can use the browser decoder', async () => {
    await expect(decodePngGray(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(UnsupportedPng);
    const png = await encodeGrayPng(8, 8, new Uint8Array(64));
    await expect(decodePngGray(png.subarray(0, 40))).rejects.toBeInstanceOf(UnsupportedPng);
  });
});
