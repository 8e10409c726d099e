import { describe, expect, it } from 'vitest';
import { MaskBitmap } from './mask-bitmap.ts';
import { capsuleSpan, forEachCapsuleRow } from './raster.ts';
import type { Pt } from './types.ts';

/** Reference: a pixel is painted when its centre is within r of the segment. */
function bruteForce(a: Pt, b: Pt, r: number, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / len2));
      const d = Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
      if (d <= r + 1e-9) out[y * w + x] = 255;
    }
  return out;
}

describe('capsule rasterisation', () => {
  it('matches the distance definition pixel for pixel on assorted segments', () => {
    const cases: [Pt, Pt, number][] = [
      [{ x: 10.2, y: 10.7 }, { x: 10.2, y: 10.7 }, 4],
      [{ x: 5, y: 20 }, { x: 55, y: 20 }, 6],
      [{ x: 20, y: 3 }, { x: 20, y: 60 }, 3.5],
      [{ x: 3.3, y: 4.1 }, { x: 58.7, y: 50.2 }, 7.25],
      [{ x: 60, y: 2 }, { x: 1, y: 61 }, 0.5],
      [{ x: -10, y: 30 }, { x: 30, y: 75 }, 9], // partly outside the bitmap
    ];
    for (const [a, b, r] of cases) {
      const bm = new MaskBitmap(64, 64);
      bm.stroke(a, b, 2 * r, 255);
      expect(bm.data, `${JSON.stringify([a, b, r])}`).toEqual(bruteForce(a, b, r, 64, 64));
    }
  });

  it('paints a dot of about π r² pixels', () => {
    const bm = new MaskBitmap(100, 100);
    bm.stroke({ x: 50, y: 50 }, { x: 50, y: 50 }, 40, 255);
    const n = bm.data.reduce((s, v) => s + (v ? 1 : 0), 0);
    expect(Math.abs(n - Math.PI * 400) / (Math.PI * 400)).toBeLessThan(0.02);
  });

  it('returns no span for rows beyond the radius', () => {
    expect(capsuleSpan({ x: 0, y: 0 }, { x: 10, y: 0 }, 2, 5)).toBeNull();
    expect(capsuleSpan({ x: 0, y: 0 }, { x: 10, y: 0 }, 2, 1)).not.toBeNull();
  });

  it('clips to the bitmap and reports nothing for segments entirely outside', () => {
    expect(forEachCapsuleRow({ x: -50, y: -50 }, { x: -40, y: -40 }, 3, 10, 10, () => {})).toBeNull();
  });
});
