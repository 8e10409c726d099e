import { describe, expect, it } from 'vitest';
import { LIMITS } from '../limits.ts';
import { MOTION_CONTROL_UNITS_PER_SECOND } from '../pricing/prices.ts';
import { MODELS } from './matrix.ts';
import {
  CHARACTER_ORIENTATIONS,
  DEFAULT_MOTION_CONTROL_MODEL,
  isMotionControlModel,
  MOTION_CONTROL_MODEL_NAMES,
  MOTION_CONTROL_MODELS,
  maxReferenceMs,
} from './motion-control.ts';

describe('motion-control capabilities (kling-2026.md §2)', () => {
  it('two models, kling-v2-6 the default, both std and pro at 24 fps', () => {
    expect(MOTION_CONTROL_MODEL_NAMES).toEqual(['kling-v2-6', 'kling-v3']);
    expect(DEFAULT_MOTION_CONTROL_MODEL).toBe('kling-v2-6');
    for (const caps of Object.values(MOTION_CONTROL_MODELS)) {
      expect(caps.modes).toEqual(['std', 'pro']);
      expect(caps.fps).toBe(24);
      expect(caps.label).toMatch(/^Kling \d/);
    }
  });

  it('elements: none on kling-v2-6, at most one on kling-v3', () => {
    expect(MOTION_CONTROL_MODELS['kling-v2-6'].elementsMax).toBe(0);
    expect(MOTION_CONTROL_MODELS['kling-v3'].elementsMax).toBe(1);
    expect(LIMITS.motionControlElementsMax).toBe(1);
  });

  it('orientations, and the longest reference each allows', () => {
    expect(CHARACTER_ORIENTATIONS).toEqual(['image', 'video']);
    expect(maxReferenceMs('image')).toBe(10_000);
    expect(maxReferenceMs('video')).toBe(30_000);
  });

  it('isMotionControlModel knows the two models and nothing inherited', () => {
    expect(isMotionControlModel('kling-v2-6')).toBe(true);
    expect(isMotionControlModel('kling-v3')).toBe(true);
    for (const name of ['kling-v1', 'kling-v2-5-turbo', '', 'toString', '__proto__', 'constructor'])
      expect(isMotionControlModel(name), name).toBe(false);
  });

  it('every model and mode has a price, and every model is also an image2video model', () => {
    for (const [name, caps] of Object.entries(MOTION_CONTROL_MODELS)) {
      for (const mode of caps.modes)
        expect(
          MOTION_CONTROL_UNITS_PER_SECOND[name as keyof typeof MOTION_CONTROL_MODELS][mode],
        ).toBeGreaterThan(0);
      expect(Object.keys(MODELS)).toContain(name);
    }
  });
});
