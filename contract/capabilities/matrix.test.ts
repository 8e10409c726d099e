import { describe, expect, it } from 'vitest';
import {
  describeSetup,
  MODEL_NAMES,
  MODELS,
  setupsSupporting,
  supports,
  unitsFor,
  variantOf,
} from './matrix.ts';

describe('capability map (reference §5.3)', () => {
  it('lists the seed’s eight models and kling-v3 (kling-2026.md §1)', () => {
    expect(MODEL_NAMES).toEqual([
      'kling-v1',
      'kling-v1-5',
      'kling-v1-6',
      'kling-v2-master',
      'kling-v2-1',
      'kling-v2-1-master',
      'kling-v2-5-turbo',
      'kling-v2-6',
      'kling-v3',
    ]);
  });

  it.each([
    ['motionBrush', ['kling-v1 std 5s', 'kling-v1 pro 5s', 'kling-v1-5 pro 5s']],
    ['camera', ['kling-v1-5 pro 5s']],
    ['voice', ['kling-v2-6 pro 5s', 'kling-v2-6 pro 10s']],
    ['sound', ['kling-v2-6 pro 5s', 'kling-v2-6 pro 10s']],
  ] as const)('%s is available on exactly %j', (feature, setups) => {
    expect(setupsSupporting(feature).map(describeSetup)).toEqual(setups);
  });

  it.each([
    ['kling-v1', 'std', '5', true],
    ['kling-v1', 'std', '10', false],
    ['kling-v1-5', 'std', '5', false],
    ['kling-v1-5', 'pro', '10', true],
    ['kling-v2-master', undefined, '5', false],
    ['kling-v2-1', 'pro', '5', true],
    ['kling-v2-5-turbo', 'std', '5', false],
    ['kling-v2-6', 'pro', '10', true],
  ] as const)('end frame on %s %s %ss: %s', (model, mode, duration, ok) => {
    expect(supports({ model, mode, duration }, 'endFrame')).toBe(ok);
  });

  it('ignores mode for models that take none', () => {
    expect(variantOf('kling-v2-master', 'pro', '5')).toEqual(variantOf('kling-v2-master', undefined, '5'));
    expect(MODELS['kling-v2-1-master'].modes).toEqual([]);
  });

  it('cfg_scale only for the v1 family; frame rate 30 for v1, 24 for v2', () => {
    for (const m of MODEL_NAMES) {
      const v1 = m.startsWith('kling-v1');
      expect(MODELS[m].cfgScale).toBe(v1);
      expect(MODELS[m].fps).toBe(v1 ? 30 : 24);
    }
  });

  it.each([
    ['kling-v1', 'std', '5', 1],
    ['kling-v1', 'pro', '10', 7],
    ['kling-v2-master', undefined, '10', 20],
  ] as const)('units for %s %s %ss = %d', (model, mode, duration, units) => {
    expect(unitsFor(model, mode, duration)).toBe(units);
  });
});
