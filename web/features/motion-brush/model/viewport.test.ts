import { describe, expect, it } from 'vitest';
import { displayPoint, displayToImage, imageToDisplay } from '../../../../contract/geometry/points.ts';
import {
  FIT_PADDING,
  fitView,
  MAX_SCALE,
  WHEEL_LINE_PX,
  WHEEL_PAGE_PX,
  wheelDeltaPx,
  wheelZoomFactor,
  ZOOM_STEP,
  zoomAt,
} from './viewport.ts';

// The display ⇄ image ⇄ API round trip is the contract's (contract/geometry/points.test.ts); this is
// only what the editor adds on top: how it fits the frame and how it zooms.
const images = [
  { width: 1280, height: 720 },
  { width: 720, height: 1280 },
  { width: 4096, height: 4096 },
  { width: 300, height: 750 },
];
const boxes = [
  { width: 800, height: 500 },
  { width: 390, height: 600 },
  { width: 1920, height: 1080 },
];

describe('fitView', () => {
  for (const image of images)
    for (const box of boxes)
      it(`shows all of ${image.width}×${image.height} centred in ${box.width}×${box.height}, ${FIT_PADDING} px in`, () => {
        const v = fitView(image, box);
        const shown = { width: image.width * v.scale, height: image.height * v.scale };
        expect(shown.width).toBeLessThanOrEqual(box.width - 2 * FIT_PADDING + 1e-9);
        expect(shown.height).toBeLessThanOrEqual(box.height - 2 * FIT_PADDING + 1e-9);
        // One side touches the padding: as large as fits.
        expect(
          Math.max(
            shown.width / (box.width - 2 * FIT_PADDING),
            shown.height / (box.height - 2 * FIT_PADDING),
          ),
        ).toBeCloseTo(1, 9);
        expect(v.offsetX * 2 + shown.width).toBeCloseTo(box.width, 9);
        expect(v.offsetY * 2 + shown.height).toBeCloseTo(box.height, 9);
      });
});

describe('zoomAt', () => {
  const image = { width: 1280, height: 720 };
  const box = { width: 800, height: 500 };
  const base = fitView(image, box);

  it.each([3.7, 0.4, 1])('keeps the image point under the anchor where it was (×%s)', (factor) => {
    const anchor = displayPoint(box.width / 3, box.height / 4);
    const before = displayToImage(anchor, base);
    const v = zoomAt(base, factor, anchor, 0.0001);
    expect(v.scale).toBeCloseTo(base.scale * factor, 12);
    const after = displayToImage(anchor, v);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
    const back = imageToDisplay(before, v);
    expect(back.x).toBeCloseTo(anchor.x, 9);
  });

  it('stays between the given minimum and MAX_SCALE', () => {
    const anchor = { x: 10, y: 10 };
    expect(zoomAt(base, 1e-6, anchor, base.scale / 4).scale).toBe(base.scale / 4);
    expect(zoomAt(base, 1e6, anchor, base.scale / 4).scale).toBe(MAX_SCALE);
  });
});

describe('wheelZoomFactor', () => {
  const px = (deltaY: number, ctrlKey = false) => ({ deltaY, deltaMode: 0, ctrlKey });

  it('zooms one Zoom-in step at most per event: a Ctrl+wheel notch is not the tryout’s 58 % → 1,173 % jump', () => {
    for (const deltaY of [100, 120, 300, 1000, 1e9]) {
      expect(wheelZoomFactor(px(-deltaY, true))).toBeCloseTo(ZOOM_STEP, 12);
      expect(wheelZoomFactor(px(deltaY, true))).toBeCloseTo(1 / ZOOM_STEP, 12);
      expect(wheelZoomFactor(px(-deltaY))).toBeLessThanOrEqual(ZOOM_STEP + 1e-12);
    }
    // From 58 %, one notch lands on 72.5 %.
    const v = zoomAt(
      { scale: 0.58, offsetX: 0, offsetY: 0 },
      wheelZoomFactor(px(-100, true)),
      { x: 0, y: 0 },
      0.1,
    );
    expect(v.scale).toBeCloseTo(0.725, 9);
  });

  it('follows a trackpad pinch (ctrl, fractional deltas) in proportion: log zoom = 1 % per pixel', () => {
    for (const deltaY of [-3.7, -1.25, -0.5, 0.5, 2, 7.5])
      expect(Math.log(wheelZoomFactor(px(deltaY, true)))).toBeCloseTo(-deltaY * 0.01, 12);
    // Many small events add up to the same zoom as their sum: smooth, no stair steps.
    let many = 1;
    for (let i = 0; i < 20; i++) many *= wheelZoomFactor(px(-1, true));
    expect(many).toBeCloseTo(wheelZoomFactor(px(-20, true)), 12);
  });

  it('zooms in and back out by the same amount to the same scale', () => {
    for (const d of [5, 40, 100, 400]) {
      const f = wheelZoomFactor(px(-d, true)) * wheelZoomFactor(px(d, true));
      expect(f).toBeCloseTo(1, 12);
    }
  });

  it('is gentler without Ctrl (a plain wheel), still proportional below the cap', () => {
    expect(Math.log(wheelZoomFactor(px(-100)))).toBeCloseTo(0.15, 12);
    expect(wheelZoomFactor(px(-100))).toBeLessThan(wheelZoomFactor(px(-100, true)));
    expect(wheelZoomFactor(px(0))).toBe(1);
  });

  it('reads line and page deltas (Firefox, some mice) as pixels', () => {
    expect(wheelDeltaPx({ deltaY: 3, deltaMode: 1 })).toBe(3 * WHEEL_LINE_PX);
    expect(wheelDeltaPx({ deltaY: -1, deltaMode: 2 })).toBe(-WHEEL_PAGE_PX);
    expect(wheelDeltaPx({ deltaY: 12.5, deltaMode: 0 })).toBe(12.5);
    expect(wheelDeltaPx({ deltaY: Number.NaN, deltaMode: 0 })).toBe(0);
    // Three lines are one notch: capped to a step, like a 120 px Chromium notch.
    expect(wheelZoomFactor({ deltaY: -3, deltaMode: 1, ctrlKey: true })).toBeCloseTo(ZOOM_STEP, 12);
    // A one-line plain-wheel tick stays proportional.
    expect(Math.log(wheelZoomFactor({ deltaY: -1, deltaMode: 1, ctrlKey: false }))).toBeCloseTo(0.06, 12);
  });
});
