import { describe, expect, it } from 'vitest';
import {
  type CameraConfig,
  type CameraControl,
  type CameraType,
  coverScale,
  moveFromCameraControl,
  moveFromConfig,
  PUSH_IN,
  poseAt,
  sourcePointFor,
  sourceQuad,
} from './camera.ts';

const size = { width: 1280, height: 720 };
const centre = { x: 640, y: 360 };
const still: CameraConfig = { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 0 };
const simple = (config: Partial<CameraConfig>): CameraControl => ({
  type: 'simple',
  config: { ...still, ...config },
});

/** Where a source point appears on screen at progress t (the forward transform, by inverting numerically). */
function screenPointOf(control: CameraControl, t: number, source: { x: number; y: number }) {
  const pose = poseAt(moveFromCameraControl(control), t, size);
  const cos = Math.cos(pose.rotationRad);
  const sin = Math.sin(pose.rotationRad);
  const dx = source.x - centre.x;
  const dy = source.y - centre.y;
  return {
    x: centre.x + pose.scale * (cos * dx - sin * dy) + pose.shiftX,
    y: centre.y + pose.scale * (sin * dx + cos * dy) + pose.shiftY,
  };
}

describe('camera moves', () => {
  it('starts every move but a pull-back on the untouched start frame', () => {
    const types: CameraControl[] = [
      simple({ horizontal: 7 }),
      simple({ roll: -10 }),
      simple({ zoom: -10 }),
      { type: 'forward_up' },
      { type: 'right_turn_forward' },
      { type: 'left_turn_forward' },
    ];
    for (const control of types) {
      const quad = sourceQuad(poseAt(moveFromCameraControl(control), 0, size), size);
      expect(quad.topLeft.x).toBeCloseTo(0, 9);
      expect(quad.topLeft.y).toBeCloseTo(0, 9);
      expect(quad.bottomRight.x).toBeCloseTo(1280, 9);
      expect(quad.bottomRight.y).toBeCloseTo(720, 9);
    }
  });

  it('zoom − (a narrower view) makes the centre bigger, up to about 1.6× at −10', () => {
    const move = moveFromConfig({ ...still, zoom: -10 });
    expect(move.zoom).toBeCloseTo(1.6, 9);
    expect(poseAt(move, 0.5, size).scale).toBeCloseTo(Math.sqrt(1.6), 9);
    const end = sourceQuad(poseAt(move, 1, size), size);
    expect(end.topRight.x - end.topLeft.x).toBeCloseTo(1280 / 1.6, 6);
    expect((end.topLeft.x + end.topRight.x) / 2).toBeCloseTo(640, 6);
  });

  it('zoom + (a wider view) pulls back from pushed-in to the full frame', () => {
    const move = moveFromConfig({ ...still, zoom: 5 });
    expect(poseAt(move, 0, size).scale).toBeCloseTo(1.3, 9);
    expect(poseAt(move, 1, size).scale).toBeCloseTo(1, 9);
  });

  it('horizontal − (camera left) slides the picture right by about a fifth of the frame at −8', () => {
    const start = screenPointOf(simple({ horizontal: -8 }), 0, centre);
    const end = screenPointOf(simple({ horizontal: -8 }), 1, centre);
    expect(end.x - start.x).toBeCloseTo(0.2 * 1280, 6);
    expect(end.y).toBeCloseTo(start.y, 6);
    expect(moveFromConfig({ ...still, horizontal: 10 }).shiftX).toBeCloseTo(-0.25, 9);
  });

  it('vertical − (camera down) slides the picture up (screen y shrinks)', () => {
    const end = screenPointOf(simple({ vertical: -4 }), 1, centre);
    expect(end.y - centre.y).toBeCloseTo(-0.1 * 720, 6);
  });

  it('roll − (camera counter-clockwise) turns the picture clockwise, 30° at −10', () => {
    const right = { x: 1000, y: 360 };
    const end = screenPointOf(simple({ roll: -10 }), 1, right);
    // Clockwise on screen: a point right of the centre sinks (screen y grows).
    expect(end.y).toBeGreaterThan(360);
    expect(Math.atan2(end.y - 360, end.x - 640)).toBeCloseTo((30 * Math.PI) / 180, 9);
  });

  it('pan and tilt read as a shift plus a slight zoom', () => {
    const pan = moveFromConfig({ ...still, pan: 10 });
    expect(pan.shiftX).toBeLessThan(0);
    expect(pan.zoom).toBeGreaterThan(1);
    expect(pan.zoom).toBeLessThan(1.2);
    const tilt = moveFromConfig({ ...still, tilt: -10 });
    expect(tilt.shiftY).toBeGreaterThan(0);
    expect(tilt.zoom).toBeGreaterThan(1);
  });

  it('maps the presets to the directions their names say', () => {
    const downBack = moveFromCameraControl({ type: 'down_back' });
    expect(downBack.shiftY).toBeGreaterThan(0);
    expect(downBack.zoom).toBeLessThan(1);
    const forwardUp = moveFromCameraControl({ type: 'forward_up' });
    expect(forwardUp.shiftY).toBeLessThan(0);
    expect(forwardUp.zoom).toBeGreaterThan(1);
    const right = moveFromCameraControl({ type: 'right_turn_forward' });
    expect(right.shiftX).toBeLessThan(0);
    expect(right.zoom).toBeGreaterThan(1);
    const left = moveFromCameraControl({ type: 'left_turn_forward' });
    expect(left.shiftX).toBeGreaterThan(0);
    expect(left.zoom).toBeGreaterThan(1);
  });

  it('clamps axis values to Kling’s [-10, 10] and treats a config-less simple as still', () => {
    expect(moveFromConfig({ ...still, zoom: 50 })).toEqual(moveFromConfig({ ...still, zoom: 10 }));
    expect(moveFromCameraControl({ type: 'simple' })).toEqual({
      shiftX: 0,
      shiftY: 0,
      rotationDeg: 0,
      zoom: 1,
    });
  });

  it('the default push-in goes from 1.0 to 1.1 about the centre', () => {
    expect(poseAt(PUSH_IN, 0, size).scale).toBe(1);
    expect(poseAt(PUSH_IN, 1, size).scale).toBeCloseTo(1.1, 9);
    expect(sourcePointFor(poseAt(PUSH_IN, 1, size), centre, size)).toEqual(centre);
  });
});

describe('cover: no frame ever samples outside the image', () => {
  const types: CameraType[] = ['down_back', 'forward_up', 'right_turn_forward', 'left_turn_forward'];
  const controls: CameraControl[] = [
    ...types.map((type) => ({ type })),
    ...(['horizontal', 'vertical', 'pan', 'tilt', 'roll', 'zoom'] as const).flatMap((key) =>
      [-10, -3, 3, 10].map((value) => simple({ [key]: value })),
    ),
    simple({ horizontal: 10, roll: 10, vertical: -10 }),
  ];
  for (const frame of [size, { width: 720, height: 1800 }]) {
    it(`holds for every axis, preset and frame of a ${frame.width}x${frame.height} clip`, () => {
      for (const control of controls) {
        const move = moveFromCameraControl(control);
        for (let i = 0; i <= 20; i++) {
          const quad = sourceQuad(poseAt(move, i / 20, frame), frame);
          for (const corner of Object.values(quad)) {
            expect(corner.x).toBeGreaterThanOrEqual(-1e-6);
            expect(corner.y).toBeGreaterThanOrEqual(-1e-6);
            expect(corner.x).toBeLessThanOrEqual(frame.width + 1e-6);
            expect(corner.y).toBeLessThanOrEqual(frame.height + 1e-6);
          }
        }
      }
    });
  }

  it('is exactly 1 + twice the shift fraction for a pure shift', () => {
    expect(coverScale(size, 0, 0.1 * 1280, 0)).toBeCloseTo(1.2, 9);
    expect(coverScale(size, 0, 0, 0)).toBe(1);
  });
});
