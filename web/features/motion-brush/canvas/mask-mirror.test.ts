import { describe, expect, it } from 'vitest';
import { contrastRatio, hatchBand, onLightStripe, STATIC_COLOR, STATIC_HATCH } from '../model/colors.ts';
import { MaskBitmap } from '../model/mask-bitmap.ts';
import { lookOf, paintRect, pixel } from './mask-mirror.ts';

/** A 64×48 bitmap with everything painted, and the display pixels of sub-rectangle r. */
function painted(r = { x: 0, y: 0, width: 64, height: 48 }, kind: 'static' | 'dynamic' = 'static') {
  const b = new MaskBitmap(64, 48, new Uint8Array(64 * 48).fill(255));
  const look = lookOf(b, { kind, color: kind === 'static' ? STATIC_COLOR : '#ff4d6d' });
  const px = new Uint32Array(r.width * r.height);
  paintRect(px, b, r, look);
  return { px, look, at: (x: number, y: number) => px[(y - r.y) * r.width + (x - r.x)] };
}

describe('the static mask on the canvas', () => {
  it('is hatched in near-white and near-black, far apart enough to read on any picture', () => {
    expect(contrastRatio(STATIC_HATCH.light, STATIC_HATCH.dark)).toBeGreaterThan(15);
    // The old flat grey was ~2.6:1 against a night sky and under 3:1 against white: one of the stripes
    // beats both by far.
    const night = '#10182a';
    const snow = '#f4f4f5';
    expect(contrastRatio(STATIC_HATCH.light, night)).toBeGreaterThan(15);
    expect(contrastRatio(STATIC_HATCH.dark, snow)).toBeGreaterThan(15);
    expect(contrastRatio(STATIC_COLOR, night)).toBeLessThan(8);
  });

  it('writes diagonal stripes where painted, matching onLightStripe, in every sub-rectangle a stroke flushes', () => {
    const whole = painted();
    const light = pixel(STATIC_HATCH.light);
    const dark = pixel(STATIC_HATCH.dark);
    expect(whole.look).toMatchObject({ kind: 'hatch', band: hatchBand({ width: 64, height: 48 }) });
    const band = (whole.look as { band: number }).band;
    let lights = 0;
    for (let y = 0; y < 48; y++)
      for (let x = 0; x < 64; x++) {
        const want = onLightStripe(x, y, band) ? light : dark;
        expect(whole.at(x, y)).toBe(want);
        if (want === light) lights++;
      }
    expect(lights / (64 * 48)).toBeGreaterThan(0.4);
    expect(lights / (64 * 48)).toBeLessThan(0.6);
    // An odd-placed flush must continue the same stripes (no seams between tiles).
    const part = painted({ x: 13, y: 7, width: 29, height: 17 });
    for (let y = 7; y < 24; y++) for (let x = 13; x < 42; x++) expect(part.at(x, y)).toBe(whole.at(x, y));
  });

  it('leaves unpainted pixels transparent and keeps dynamic masks solid', () => {
    const b = new MaskBitmap(16, 16);
    b.stroke({ x: 4, y: 8 }, { x: 4, y: 8 }, 4, 255);
    const px = new Uint32Array(256);
    paintRect(
      px,
      b,
      { x: 0, y: 0, width: 16, height: 16 },
      lookOf(b, { kind: 'static', color: STATIC_COLOR }),
    );
    expect(px[8 * 16 + 4]).not.toBe(0);
    expect(px[8 * 16 + 12]).toBe(0);
    const solid = painted(undefined, 'dynamic');
    expect(new Set(solid.px)).toEqual(new Set([pixel('#ff4d6d')]));
  });

  it('keeps the stripes a few screen pixels wide at Fit, whatever the frame’s size', () => {
    expect(hatchBand({ width: 800, height: 600 })).toBe(6);
    expect(hatchBand({ width: 4096, height: 4096 })).toBe(32);
    expect(hatchBand({ width: 300, height: 300 })).toBe(3);
  });
});
