import { describe, expect, it } from 'vitest';
import {
  apiToImage,
  displayPoint,
  displayToImage,
  imageToDisplay,
  pathToApiTrajectory,
} from '../../../../contract/geometry/points.ts';
import { fitView, zoomAt } from './viewport.ts';

/**
 * The editor's whole pointer → request path: a display point becomes an image point through the current
 * viewport (whatever the zoom), and only the contract turns image points into Kling's bottom-left space.
 */
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

describe('display → image → API coordinates', () => {
  for (const image of images)
    for (const box of boxes) {
      const base = fitView(image, box);
      for (const zoom of [1, 3.7, 0.4]) {
        const v = zoomAt(base, zoom, { x: box.width / 3, y: box.height / 4 }, 0.0001);
        it(`${image.width}×${image.height} in ${box.width}×${box.height} at ×${zoom} (scale ${v.scale.toFixed(3)})`, () => {
          // A point drawn 2 image pixels in from the top-left corner of the shown image…
          const nearTopLeft = imageToDisplay({ x: 2, y: 2 }, v);
          const img = displayToImage(displayPoint(nearTopLeft.x, nearTopLeft.y), v);
          expect(img.x).toBeCloseTo(2, 6);
          expect(img.y).toBeCloseTo(2, 6);
          // …and one near the bottom-right.
          const nearBottomRight = imageToDisplay({ x: image.width - 3, y: image.height - 3 }, v);
          const api = pathToApiTrajectory(
            [img, displayToImage(displayPoint(nearBottomRight.x, nearBottomRight.y), v)],
            image,
          );
          // Kling's origin is bottom-left: top-left becomes y ≈ height, bottom-right y ≈ 0.
          expect(api[0]).toEqual({ x: 2, y: image.height - 2 });
          expect(api[1]).toEqual({ x: image.width - 3, y: 3 });
          for (const p of api) {
            expect(Number.isInteger(p.x) && Number.isInteger(p.y)).toBe(true);
          }
          // And back, for a remix.
          expect(apiToImage(api[0]!, image)).toEqual({ x: 2, y: 2 });
        });
      }
    }

  it('clamps points dragged past the edge of the image', () => {
    const image = { width: 640, height: 480 };
    const v = fitView(image, { width: 640, height: 480 });
    const outside = displayToImage(displayPoint(-40, -40), v);
    expect(pathToApiTrajectory([outside, { x: 700, y: 500 }], image)).toEqual([
      { x: 0, y: 480 },
      { x: 640, y: 0 },
    ]);
  });

  it('resamples a long freehand path to 77 evenly spaced integer points', () => {
    const image = { width: 1000, height: 1000 };
    const raw = Array.from({ length: 1001 }, (_, i) => ({ x: i * 0.9, y: 1000 - i * 0.9 }));
    const api = pathToApiTrajectory(raw, image);
    expect(api).toHaveLength(77);
    expect(api[0]).toEqual({ x: 0, y: 0 });
    expect(api[76]).toEqual({ x: 900, y: 900 });
    // Even by arc length: consecutive points ≈ total / 76 apart (900·√2 / 76 ≈ 16.7).
    const gaps = api.slice(1).map((p, i) => Math.hypot(p.x - api[i]!.x, p.y - api[i]!.y));
    for (const g of gaps) expect(Math.abs(g - (900 * Math.SQRT2) / 76)).toBeLessThan(1.5);
  });
});
