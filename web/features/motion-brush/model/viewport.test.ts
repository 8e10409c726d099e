import { describe, expect, it } from 'vitest';
import { displayPoint, displayToImage, imageToDisplay } from '../../../../contract/geometry/points.ts';
import { FIT_PADDING, fitView, MAX_SCALE, zoomAt } from './viewport.ts';

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
