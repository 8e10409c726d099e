import { decode as decodePng } from 'fast-png';
import { decode as decodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { pngDataIntact } from '../images/png-data.ts';
import { sniffImage } from '../images/sniff.ts';
import {
  gif1x1,
  gifHeader,
  grayPng,
  jpegCutMidScan,
  jpegHeader,
  jpegImage,
  maskPng,
  pngBomb,
  pngCutInHeader,
  pngHeader,
  pngIdatData,
  pngImage,
  pngWithGarbageIdat,
  svgImage,
} from './test-images.ts';

/** Every chunk's stored CRC equals the CRC fast-png's decoder checks, so only the data can be wrong. */
const decodesOrThrows = (png: Uint8Array) => () => decodePng(png);

describe('valid test images decode', () => {
  it('a PNG reads back with its size and pixels', () => {
    const png = pngImage(4, 3, { pixel: (x, y) => [x, y, 7] });
    expect(sniffImage(png)).toEqual({ format: 'png', bytes: png.length, width: 4, height: 3 });
    const decoded = decodePng(png);
    expect([decoded.width, decoded.height, decoded.channels]).toEqual([4, 3, 3]);
    // Row 1, pixel x=2.
    expect([...decoded.data.subarray((1 * 4 + 2) * 3, (1 * 4 + 3) * 3)]).toEqual([2, 1, 7]);
  });

  it('a solid colour, the default gradient and noise', () => {
    expect([...decodePng(pngImage(2, 2, { color: { r: 9, g: 8, b: 7 } })).data]).toEqual(
      Array.from({ length: 4 }, () => [9, 8, 7]).flat(),
    );
    const gradient = decodePng(pngImage(10, 10, { blue: 40 })).data;
    expect([...gradient.subarray(0, 3)]).toEqual([0, 0, 40]);
    expect([...gradient.subarray(99 * 3, 100 * 3)]).toEqual([229, 229, 40]);
    // Noise does not compress: the file is at least as large as its pixels.
    expect(pngImage(64, 64, { noise: 3 }).length).toBeGreaterThan(64 * 64 * 3);
    expect(pngImage(64, 64, { noise: 3 })).toEqual(pngImage(64, 64, { noise: 3 }));
  });

  it('pads a PNG to an exact size, and it still decodes', async () => {
    const padded = pngImage(10, 10, { padToBytes: 5000 });
    expect(padded.length).toBe(5000);
    expect(decodePng(padded).width).toBe(10);
    expect(await pngDataIntact(padded)).toBe(true);
  });

  it('a greyscale mask: one channel, white exactly inside its rectangle', () => {
    const decoded = decodePng(maskPng(6, 4, { x: 1, y: 2, w: 3, h: 1 }));
    expect([decoded.width, decoded.height, decoded.channels, decoded.depth]).toEqual([6, 4, 1, 8]);
    expect([...decoded.data]).toEqual([
      ...[0, 0, 0, 0, 0, 0],
      ...[0, 0, 0, 0, 0, 0],
      ...[0, 255, 255, 255, 0, 0],
      ...[0, 0, 0, 0, 0, 0],
    ]);
    expect([...decodePng(grayPng(2, 1, (x) => x * 100)).data]).toEqual([0, 100]);
  });

  it('a JPEG decodes with its size', () => {
    const jpeg = jpegImage(64, 48, { color: { r: 200, g: 10, b: 10 } });
    expect(sniffImage(jpeg)).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
    const decoded = decodeJpeg(jpeg, { useTArray: true });
    expect([decoded.width, decoded.height]).toEqual([64, 48]);
    expect(decoded.data[0]).toBeGreaterThan(180);
  });

  it('a real PNG passes the picture-data check', async () => {
    expect(await pngDataIntact(pngImage(640, 360))).toBe(true);
  });
});

describe('header-only fakes and other formats sniff as what they claim', () => {
  it.each([
    ['png', pngHeader(1280, 720), { format: 'png', width: 1280, height: 720 }],
    ['jpeg', jpegHeader(640, 480), { format: 'jpeg', width: 640, height: 480 }],
    ['gif', gifHeader(640, 360), { format: 'gif' }],
    ['gif 1×1', gif1x1(), { format: 'gif', bytes: 43 }],
    ['svg', svgImage(640, 360), { format: 'svg' }],
  ])('%s', (_what, bytes, facts) => {
    expect(sniffImage(bytes)).toMatchObject(facts);
  });
});

describe('broken images are broken in one way only', () => {
  it('pngWithGarbageIdat: the header sniffs and every CRC is right, the picture data is not', async () => {
    const png = pngWithGarbageIdat(640, 480);
    expect(sniffImage(png)).toMatchObject({ format: 'png', width: 640, height: 480 });
    // fast-png checks each chunk's CRC before inflating: the error is about the data, not a CRC.
    expect(decodesOrThrows(png)).toThrow();
    expect(decodesOrThrows(png)).not.toThrow(/crc/i);
    expect(await pngDataIntact(png)).toBe(false);
  });

  it('jpegCutMidScan: SOI to EOI with a real header, but the scan cannot be read', () => {
    const jpeg = jpegCutMidScan(640, 480);
    expect(sniffImage(jpeg)).toMatchObject({ format: 'jpeg', width: 640, height: 480 });
    expect([...jpeg.subarray(0, 2), ...jpeg.subarray(-2)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    expect(() => decodeJpeg(jpeg, { useTArray: true })).toThrow();
    expect(() =>
      decodeJpeg(jpegImage(640, 480, { noise: 1, quality: 90 }), { useTArray: true }),
    ).not.toThrow();
  });

  it('pngBomb: a few hundred bytes declaring 60000×60000, framing intact', () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(400);
    expect(sniffImage(bomb)).toMatchObject({ format: 'png', width: 60_000, height: 60_000 });
    expect(pngIdatData(bomb).length).toBeGreaterThan(0);
  });

  it('pngCutInHeader stops inside IHDR', () => {
    expect(sniffImage(pngCutInHeader())).toMatchObject({ format: 'png', width: 0, height: 0 });
  });
});
