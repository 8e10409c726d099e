import { describe, expect, it } from 'vitest';
import { MODELS } from '../../../contract/capabilities/matrix.ts';
import { durationIsRange, modeRate } from './mode-rate.ts';

describe('modeRate', () => {
  it('prices each kling-v3 mode per second, silent and with sound', () => {
    expect(modeRate('kling-v3', 'std', false)).toBe('0.6 units/s');
    expect(modeRate('kling-v3', 'pro', true)).toBe('1.2 units/s');
    expect(modeRate('kling-v3', '4k', false)).toBe('3 units/s');
  });

  it('sound moves only the modes that price it (kling-v2-6 pro), and not std', () => {
    expect(modeRate('kling-v2-6', 'pro', true)).toBe('1.2 units/s');
    expect(modeRate('kling-v2-6', 'std', true)).toBe('0.3 units/s');
  });

  it('says nothing for a mode the model is not priced in', () => {
    expect(modeRate('kling-v2-6', '4k', false)).toBeUndefined();
  });
});

describe('durationIsRange', () => {
  it('kling-v3 (3–15 s) is a slider, the 5/10 models keep their two choices', () => {
    expect(durationIsRange(MODELS['kling-v3'].durations)).toBe(true);
    expect(durationIsRange(MODELS['kling-v2-6'].durations)).toBe(false);
    expect(durationIsRange(['3', '5', '7'])).toBe(false);
  });
});
