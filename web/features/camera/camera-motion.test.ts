import { describe, expect, it } from 'vitest';
import { ZERO_CAMERA } from '../../editor/default-draft.ts';
import { coverScale, describeCameraMove, previewMove, previewTransforms } from './camera-motion.ts';

describe('camera preview geometry', () => {
  it('follows the simulator (Kling camera terms): horizontal +10 slides the picture a quarter frame left, zoom −10 is 1.6×', () => {
    expect(previewMove({ ...ZERO_CAMERA, horizontal: 10 })).toMatchObject({
      shiftX: -0.25,
      shiftY: -0,
      zoom: 1,
    });
    expect(previewMove({ ...ZERO_CAMERA, zoom: -10 }).zoom).toBeCloseTo(1.6);
    expect(previewMove({ ...ZERO_CAMERA, zoom: 10 }).zoom).toBeCloseTo(1 / 1.6);
    expect(previewMove({ ...ZERO_CAMERA, roll: -10 }).rotationDeg).toBe(30);
  });

  it('covers the frame so no empty corner shows', () => {
    // A shift of s on each side needs 1 + 2s to cover.
    expect(coverScale({ shiftX: 0.25, shiftY: 0, rotationDeg: 0, zoom: 1 }, 16 / 9)).toBeCloseTo(1.5);
    expect(coverScale({ shiftX: 0, shiftY: 0, rotationDeg: 0, zoom: 1 }, 16 / 9)).toBe(1);
  });

  it('starts still and ends at the move', () => {
    const t = previewTransforms({ ...ZERO_CAMERA, vertical: 4 }, 1);
    expect(t.from).toBe('scale(1.2000)');
    // vertical + moves the camera up, so the picture sinks: a positive CSS translateY.
    expect(t.to).toBe('translate(0.00%, 10.00%) rotate(0.00deg) scale(1.2000)');
  });

  it('describes the move in words', () => {
    expect(describeCameraMove('simple', { ...ZERO_CAMERA, pan: 5 })).toBe('Pan +5: the camera turns right');
    expect(describeCameraMove('simple', { ...ZERO_CAMERA, zoom: -2 })).toBe(
      'Zoom -2: the camera zooms in (narrower view)',
    );
    expect(describeCameraMove('simple', ZERO_CAMERA)).toBe('No move yet: set one axis');
    expect(describeCameraMove('down_back', ZERO_CAMERA)).toBe('Down and back (Kling preset move)');
  });
});
