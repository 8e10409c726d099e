import { describe, expect, it } from 'vitest';
import {
  apiToImage,
  displayPoint,
  displayToImage,
  fitViewport,
  imageToApi,
  imageToDisplay,
  pathToApiTrajectory,
  pointAlongPath,
  resamplePath,
} from './points.ts';

const sizes = [
  { width: 1280, height: 720 },
  { width: 300, height: 750 },
  { width: 4096, height: 4096 },
];
const boxes = [
  { width: 800, height: 600 },
  { width: 320, height: 240 },
  { width: 1920, height: 1080 },
];

describe('display ⇄ image ⇄ API', () => {
  for (const size of sizes)
    for (const box of boxes) {
      const v = fitViewport(size, box);
      it(`${size.width}×${size.height} in a ${box.width}×${box.height} box (scale ${v.scale.toFixed(3)})`, () => {
        // The display point over the image's top-left corner (a few pixels in) is y ≈ height in API space.
        const nearTopLeft = imageToDisplay({ x: 2, y: 2 }, v);
        const api = imageToApi(displayToImage(nearTopLeft, v), size);
        expect(api.x).toBe(2);
        expect(api.y).toBe(size.height - 2);
        // The bottom-right corner is (width, 0).
        const br = imageToApi(displayToImage(imageToDisplay({ x: size.width, y: size.height }, v), v), size);
        expect(br).toEqual({ x: size.width, y: 0 });
        // Display → image → display round-trips.
        const d = displayPoint(box.width / 3, box.height / 2);
        const back = imageToDisplay(displayToImage(d, v), v);
        expect(back.x).toBeCloseTo(d.x, 9);
        expect(back.y).toBeCloseTo(d.y, 9);
      });
    }

  it('API → image → API is the identity on integer points inside the image', () => {
    const size = { width: 640, height: 360 };
    for (const p of [
      { x: 0, y: 0 },
      { x: 640, y: 360 },
      { x: 279, y: 219 },
    ])
      expect(imageToApi(apiToImage(p, size), size)).toEqual(p);
  });

  it('rounds to integers and clamps points outside the image', () => {
    const size = { width: 100, height: 50 };
    expect(imageToApi({ x: 10.6, y: 10.4 }, size)).toEqual({ x: 11, y: 40 });
    expect(imageToApi({ x: -20, y: -5 }, size)).toEqual({ x: 0, y: 50 });
    expect(imageToApi({ x: 500, y: 500 }, size)).toEqual({ x: 100, y: 0 });
  });

  it('fits and centres the image in the box', () => {
    const v = fitViewport({ width: 200, height: 100 }, { width: 400, height: 400 });
    expect(v).toEqual({ scale: 2, offsetX: 0, offsetY: 100 });
  });
});

describe('resamplePath', () => {
  const line = Array.from({ length: 301 }, (_, i) => ({ x: i, y: i * 0.5 + Math.sin(i / 9) * 3 }));

  it('keeps at most 77 points, first and last exactly', () => {
    const out = resamplePath(line);
    expect(out).toHaveLength(77);
    expect(out[0]).toEqual(line[0]);
    expect(out[76]).toEqual(line[300]);
  });

  it('spaces points evenly by arc length', () => {
    const straight = Array.from({ length: 500 }, (_, i) => ({ x: i, y: 0 }));
    const out = resamplePath(straight, 11);
    const gaps = out.slice(1).map((p, i) => p.x - out[i]!.x);
    for (const g of gaps) expect(g).toBeCloseTo(499 / 10, 6);
  });

  it('even spacing holds on unevenly sampled input (slow then fast drawing)', () => {
    const uneven = [
      ...Array.from({ length: 200 }, (_, i) => ({ x: i * 0.1, y: 0 })),
      ...Array.from({ length: 20 }, (_, i) => ({ x: 20 + i * 10, y: 0 })),
    ];
    const out = resamplePath(uneven, 5);
    const total = uneven[uneven.length - 1]!.x;
    out.forEach((p, k) => {
      expect(p.x).toBeCloseTo((total * k) / 4, 6);
    });
  });

  it('leaves short paths alone except repeated points', () => {
    const pts = [
      { x: 1, y: 1 },
      { x: 1, y: 1 },
      { x: 5, y: 9 },
    ];
    expect(resamplePath(pts)).toEqual([
      { x: 1, y: 1 },
      { x: 5, y: 9 },
    ]);
  });

  it('turns a stored path into ≤77 integer API points with a flipped y', () => {
    const size = { width: 1000, height: 500 };
    const drawn = Array.from({ length: 200 }, (_, i) => ({ x: 100 + i * 4, y: 450 - i * 2 }));
    const traj = pathToApiTrajectory(drawn, size);
    expect(traj.length).toBeLessThanOrEqual(77);
    expect(traj.every((p) => Number.isInteger(p.x) && Number.isInteger(p.y))).toBe(true);
    expect(traj[0]).toEqual({ x: 100, y: 50 });
    expect(traj[traj.length - 1]!.y).toBeGreaterThan(traj[0]!.y);
  });
});

describe('pointAlongPath', () => {
  const path = [
    { x: 0, y: 0 },
    { x: 10, y: 0 },
    { x: 10, y: 10 },
  ];
  it.each([
    [0, { x: 0, y: 0 }],
    [0.25, { x: 5, y: 0 }],
    [0.5, { x: 10, y: 0 }],
    [0.75, { x: 10, y: 5 }],
    [1, { x: 10, y: 10 }],
    [2, { x: 10, y: 10 }],
  ])('at t=%s', (t, expected) => {
    expect(pointAlongPath(path, t)).toEqual(expected);
  });
});
