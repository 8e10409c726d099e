import { describe, expect, it } from 'vitest';
import type { CameraConfig } from '../schemas/create-request.ts';
import { CAMERA_PRESETS, cameraMove, cameraMoveFromConfig } from './camera-move.ts';

const ZERO: CameraConfig = { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 0 };

describe('camera moves in Kling’s camera terms, as the picture moves on screen', () => {
  it.each([
    [
      'horizontal +10: camera right, picture slides left a quarter frame',
      { horizontal: 10 },
      { shiftX: -0.25 },
    ],
    ['vertical +10: camera up, picture slides down', { vertical: 10 }, { shiftY: -0.25 }],
    ['pan −5: camera turns left, picture slides right', { pan: -5 }, { shiftX: 0.1 }],
    ['tilt +5: camera tilts up, picture slides down', { tilt: 5 }, { shiftY: -0.1 }],
    ['roll −10: camera counter-clockwise, picture turns clockwise', { roll: -10 }, { rotationDeg: 30 }],
  ] as const)('%s', (_name, axes, expected) => {
    expect(cameraMoveFromConfig({ ...ZERO, ...axes })).toMatchObject(expected);
  });

  it('zoom − is a narrower view (the centre grows), zoom + a wider one', () => {
    expect(cameraMoveFromConfig({ ...ZERO, zoom: -10 }).zoom).toBeCloseTo(1.6);
    expect(cameraMoveFromConfig({ ...ZERO, zoom: 10 }).zoom).toBeCloseTo(1 / 1.6);
  });

  it('presets use the same convention: forward moves grow the picture, down_back widens it', () => {
    expect(cameraMove({ type: 'forward_up' }).zoom).toBeGreaterThan(1);
    expect(cameraMove({ type: 'right_turn_forward' }).shiftX).toBeLessThan(0);
    expect(cameraMove({ type: 'left_turn_forward' }).shiftX).toBeGreaterThan(0);
    expect(cameraMove({ type: 'down_back' }).zoom).toBeLessThan(1);
    expect(cameraMove({ type: 'down_back' }).shiftY).toBeGreaterThan(0);
    expect(Object.keys(CAMERA_PRESETS)).toHaveLength(4);
  });

  it('a simple move without config does nothing', () => {
    expect(cameraMove({ type: 'simple' })).toEqual({ shiftX: 0, shiftY: 0, rotationDeg: 0, zoom: 1 });
  });
});
