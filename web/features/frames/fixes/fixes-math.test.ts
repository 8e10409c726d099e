import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../../contract/limits.ts';
import { imageFactRules } from '../../../../contract/rules/image-rules.ts';
import { QUALITY_STEPS, searchCompression } from './compress-search.ts';
import {
  arrowStep,
  boxAt,
  clampBox,
  cropGuides,
  largestBox,
  minBoxScale,
  moveBox,
  nearestAllowedRatio,
} from './crop-box.ts';
import { FIX_LABEL, fixesFor } from './fix-offers.ts';
import { upscaleSize } from './upscale-size.ts';

/** What the contract's frame rules say about a PNG of this size (small file). */
const rulesFor = (width: number, height: number) =>
  imageFactRules('image', { format: 'png', bytes: 1000, width, height }, 'frame').map((v) => v.rule);

describe('Crop to fit', () => {
  it('locks to the nearest allowed ratio: the limit a picture is past, or its own shape', () => {
    expect(nearestAllowedRatio({ width: 900, height: 300 })).toBe(LIMITS.aspectMax);
    expect(nearestAllowedRatio({ width: 300, height: 1200 })).toBe(LIMITS.aspectMin);
    expect(nearestAllowedRatio({ width: 1600, height: 900 })).toBeCloseTo(16 / 9);
  });

  it('offers the nearest limit first, then 16:9, 9:16 and 1:1', () => {
    expect(cropGuides({ width: 900, height: 300 })).toEqual([
      { label: '2.5:1', ratio: 2.5, nearest: true },
      { label: '16:9', ratio: 16 / 9, nearest: false },
      { label: '9:16', ratio: 9 / 16, nearest: false },
      { label: '1:1', ratio: 1, nearest: false },
    ]);
    expect(cropGuides({ width: 300, height: 1000 }).map((g) => g.label)).toEqual([
      '1:2.5',
      '16:9',
      '9:16',
      '1:1',
    ]);
  });

  it('starts with the largest box of that ratio, centred, which the rules then accept', () => {
    const picture = { width: 900, height: 300 };
    expect(boxAt(picture, nearestAllowedRatio(picture))).toEqual({ x: 75, y: 0, width: 750, height: 300 });
    expect(rulesFor(750, 300)).toEqual([]);
  });

  it.each([
    [1000, 333],
    [3001, 1000],
    [1201, 480],
    [333, 1000],
    [480, 1201],
    [7000, 301],
    [301, 7919],
  ])('rounds %i×%i to whole pixels without crossing a limit', (width, height) => {
    const picture = { width, height };
    const box = largestBox(picture, nearestAllowedRatio(picture));
    expect(Number.isInteger(box.width) && Number.isInteger(box.height)).toBe(true);
    expect(box.width).toBeLessThanOrEqual(width);
    expect(box.height).toBeLessThanOrEqual(height);
    expect(rulesFor(box.width, box.height)).toEqual([]);
    // As large as the limit allows: one more pixel on the long side would cross it.
    const wide = width > height;
    const grown = wide ? { ...box, width: box.width + 1 } : { ...box, height: box.height + 1 };
    if (wide ? grown.width <= width : grown.height <= height)
      expect(rulesFor(grown.width, grown.height)).toEqual(['image_aspect']);
  });

  it('keeps the box inside the picture however far it is moved', () => {
    const picture = { width: 900, height: 300 };
    const box = boxAt(picture, 2.5);
    expect(moveBox(box, -1000, 0, picture)).toMatchObject({ x: 0, y: 0 });
    expect(moveBox(box, 1000, 50, picture)).toMatchObject({ x: 150, y: 0 });
    expect(moveBox(box, 30, 0, picture)).toMatchObject({ x: 105 });
    expect(clampBox({ x: -5, y: -5, width: 2000, height: 2000 }, picture)).toEqual({
      x: 0,
      y: 0,
      width: 900,
      height: 300,
    });
  });

  it('follows a preset: 1:1 and 9:16 boxes in a 3:1 picture, centred where asked', () => {
    const picture = { width: 1800, height: 600 };
    expect(boxAt(picture, 1)).toEqual({ x: 600, y: 0, width: 600, height: 600 });
    expect(boxAt(picture, 9 / 16)).toEqual({ x: 731, y: 0, width: 338, height: 600 });
    expect(boxAt(picture, 1, 1, { x: 0, y: 0 })).toMatchObject({ x: 0, y: 0 });
    expect(boxAt(picture, 1, 1, { x: 5000, y: 300 })).toMatchObject({ x: 1200 });
  });

  it('can be made smaller, but never below the rules’ minimum side', () => {
    const picture = { width: 3000, height: 1000 };
    expect(minBoxScale(picture, 2.5)).toBeCloseTo(0.3);
    expect(boxAt(picture, 2.5, 0.5)).toMatchObject({ width: 1250, height: 500 });
    expect(boxAt(picture, 2.5, 0.01)).toMatchObject({ width: 750, height: 300 });
    // A picture already at the minimum cannot shrink at all.
    expect(minBoxScale({ width: 900, height: 300 }, 2.5)).toBe(1);
  });

  it('moves 1 % of the longer side per arrow key, 10 % with Shift', () => {
    expect(arrowStep({ width: 900, height: 300 }, false)).toBe(9);
    expect(arrowStep({ width: 900, height: 300 }, true)).toBe(90);
    expect(arrowStep({ width: 50, height: 20 }, false)).toBe(1);
  });
});

/** A fake encoder: bytes fall with quality and with the pixel count (scale²), as a JPEG's do. */
function fakeEncoder(bytesAt: (quality: number) => number) {
  const calls: [number, number][] = [];
  const encode = async (quality: number, scale: number) => {
    calls.push([quality, scale]);
    return { size: Math.round(bytesAt(quality) * scale * scale) };
  };
  return { encode, calls };
}
const MB = 1024 * 1024;

describe('Compress', () => {
  it('takes the best step in one encode when it fits', async () => {
    const { encode, calls } = fakeEncoder(() => 3 * MB);
    const r = await searchCompression(encode);
    expect(r).toMatchObject({ ok: true, quality: 0.95, scale: 1 });
    expect(calls).toEqual([[0.95, 1]]);
  });

  it('binary-searches the steps for the best quality that fits, in few encodes', async () => {
    // 4 MB at 0.4 up to 18 MB at 0.95: 0.7 (11 MB) is over 10 MB, 0.6 (8.7 MB) fits.
    const { encode, calls } = fakeEncoder((q) => (4 + ((q - 0.4) / 0.55) * 14) * MB);
    const r = await searchCompression(encode);
    expect(r).toMatchObject({ ok: true, quality: 0.6, scale: 1 });
    if (!r.ok) throw new Error('expected a fit');
    expect(r.encoded.size).toBeLessThanOrEqual(LIMITS.imageMaxBytes);
    // Every step above the answer is over the limit (the best that fits, not just one that fits).
    const above = QUALITY_STEPS.filter((q) => q > 0.6);
    expect(above.every((q) => (4 + ((q - 0.4) / 0.55) * 14) * MB > LIMITS.imageMaxBytes)).toBe(true);
    expect(calls.length).toBeLessThanOrEqual(1 + Math.ceil(Math.log2(QUALITY_STEPS.length)));
    expect(calls.every(([, s]) => s === 1)).toBe(true);
  });

  it('scales down only when even the lowest step is too big, then searches again', async () => {
    const { encode, calls } = fakeEncoder((q) => (30 + q * 20) * MB);
    const r = await searchCompression(encode);
    if (!r.ok) throw new Error('expected a fit');
    expect(r.scale).toBeLessThan(1);
    expect(r.encoded.size).toBeLessThanOrEqual(LIMITS.imageMaxBytes);
    const full = calls.filter(([, s]) => s === 1).map(([q]) => q);
    // At full size it tried the top and then down to the lowest step before shrinking.
    expect(full[0]).toBe(0.95);
    expect(full).toContain(QUALITY_STEPS[0]);
    expect(full.every((q) => (30 + q * 20) * MB > LIMITS.imageMaxBytes)).toBe(true);
  });

  it('gives up, rather than shrinking below the minimum scale', async () => {
    const { encode, calls } = fakeEncoder(() => 100 * MB);
    const r = await searchCompression(encode, { minScale: 0.5 });
    expect(r.ok).toBe(false);
    expect(Math.min(...calls.map(([, s]) => s))).toBe(0.5);
  });

  it('honours another limit', async () => {
    const { encode } = fakeEncoder((q) => q * 2 * MB);
    expect(await searchCompression(encode, { limitBytes: MB })).toMatchObject({ ok: true, quality: 0.5 });
  });
});

describe('Upscale', () => {
  it('brings the short side to 300 px and the long side in proportion', () => {
    expect(upscaleSize({ width: 200, height: 200 })).toEqual({ width: 300, height: 300 });
    expect(upscaleSize({ width: 320, height: 180 })).toEqual({ width: 533, height: 300 });
    expect(upscaleSize({ width: 120, height: 250 })).toEqual({ width: 300, height: 625 });
    expect(rulesFor(533, 300)).toEqual([]);
  });

  it('leaves a big-enough picture alone and never crosses an aspect limit by rounding', () => {
    expect(upscaleSize({ width: 640, height: 300 })).toEqual({ width: 640, height: 300 });
    for (const [w, h] of [
      [250, 100],
      [100, 250],
      [299, 120],
      [121, 299],
    ] as const) {
      const s = upscaleSize({ width: w, height: h });
      expect(Math.min(s.width, s.height)).toBe(LIMITS.imageMinSide);
      expect(rulesFor(s.width, s.height)).toEqual([]);
    }
  });
});

describe('which fixes a refusal offers', () => {
  const v = (rule: string) => ({ field: 'image', rule, message: `Start frame (image): ${rule}` });
  it('one per rule it can answer, crop before upscale before compress', () => {
    expect(fixesFor([v('image_aspect')])).toEqual(['crop']);
    expect(fixesFor([v('image_too_small')])).toEqual(['upscale']);
    expect(fixesFor([v('image_too_large')])).toEqual(['compress']);
    expect(fixesFor([v('image_too_large'), v('image_too_small'), v('image_aspect')])).toEqual([
      'crop',
      'upscale',
      'compress',
    ]);
    expect(FIX_LABEL).toEqual({ crop: 'Crop to fit', upscale: 'Upscale', compress: 'Compress' });
  });

  it('none for what no fix can answer, nor for anything that must not be decoded', () => {
    for (const rule of ['image_format', 'image_empty', 'image_unreadable', 'image_damaged', 'unreachable'])
      expect(fixesFor([v(rule)])).toEqual([]);
    // A bomb's declared size is over the side limit: never decoded, even though it is also "too large".
    expect(fixesFor([v('image_too_large'), v('image_too_big')])).toEqual([]);
  });
});
