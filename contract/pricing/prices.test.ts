import { describe, expect, it } from 'vitest';
import {
  billedSeconds,
  DEFAULT_USD_PER_UNIT,
  MOTION_CONTROL_UNITS_PER_SECOND,
  motionControlUnits,
  PRICE_SOURCE,
  roundUnits,
  unitsToUsd,
} from './prices.ts';

describe('the 2026 motion-control price table (kling-2026.md §3)', () => {
  it('units per second of output, by model and mode', () => {
    expect(MOTION_CONTROL_UNITS_PER_SECOND).toEqual({
      'kling-v2-6': { std: 0.5, pro: 0.8 },
      'kling-v3': { std: 0.9, pro: 1.2 },
    });
    expect(DEFAULT_USD_PER_UNIT).toBe(0.14);
    expect(PRICE_SOURCE).toEqual({ name: 'Kling video pricing page (K-PRICE)', asOf: '2026-12-01' });
  });

  it('a 5 s reference on each model and mode', () => {
    expect(motionControlUnits('kling-v2-6', 'std', 5000)).toBe(2.5);
    expect(motionControlUnits('kling-v2-6', 'pro', 5000)).toBe(4);
    expect(motionControlUnits('kling-v3', 'std', 5000)).toBe(4.5);
    expect(motionControlUnits('kling-v3', 'pro', 5000)).toBe(6);
  });
});

describe('billedSeconds: whole seconds, rounded up', () => {
  it.each([
    [3000, 3],
    [3001, 4],
    [3999, 4],
    [4000, 4],
    [10_000, 10],
    [10_001, 11],
    [30_000, 30],
    [1, 1],
    // Never zero: a task is billed for at least a second.
    [0, 1],
    [-5, 1],
  ])('%i ms → %i s', (ms, s) => {
    expect(billedSeconds(ms)).toBe(s);
  });

  it('float noise above a whole second is not billed as one more second', () => {
    // (0.1 + 0.2) × 10 000 is 3000.0000000000005: 3 s, not 4.
    expect((0.1 + 0.2) * 10_000).toBeGreaterThan(3000);
    expect(billedSeconds((0.1 + 0.2) * 10_000)).toBe(3);
    // 7.2 s on a 90 kHz timescale.
    expect(billedSeconds((648_000 / 90_000) * 1000)).toBe(8);
    expect(billedSeconds((3 / 90_000) * 90_000 * 1000)).toBe(3);
  });
});

describe('units and money without float noise', () => {
  it('every whole second from 1 to 30, on each model and mode, has at most two decimals', () => {
    for (const [model, modes] of Object.entries(MOTION_CONTROL_UNITS_PER_SECOND))
      for (const [mode, rate] of Object.entries(modes))
        for (let s = 1; s <= 30; s++) {
          const units = motionControlUnits(model as 'kling-v3', mode as 'std', s * 1000);
          expect(units, `${model} ${mode} ${s} s`).toBe(Number((rate * s).toFixed(2)));
          expect(String(units)).toMatch(/^\d+(\.\d{1,2})?$/);
        }
    // The raw products that would leak: 0.8 × 7 and 0.9 × 3.
    expect(0.8 * 7).not.toBe(5.6);
    expect(motionControlUnits('kling-v2-6', 'pro', 7000)).toBe(5.6);
    expect(motionControlUnits('kling-v3', 'std', 3000)).toBe(2.7);
    expect(motionControlUnits('kling-v3', 'pro', 3001)).toBe(4.8);
  });

  it('roundUnits keeps two decimals', () => {
    expect(roundUnits(5.6000000000000005)).toBe(5.6);
    expect(roundUnits(1.234)).toBe(1.23);
    expect(roundUnits(0)).toBe(0);
  });

  it('unitsToUsd: cents, at the default rate or a given one', () => {
    expect(unitsToUsd(1)).toBe(0.14);
    expect(unitsToUsd(4)).toBe(0.56);
    expect(unitsToUsd(5.6)).toBe(0.78);
    expect(unitsToUsd(36)).toBe(5.04);
    expect(unitsToUsd(0)).toBe(0);
    expect(unitsToUsd(4, 0.2)).toBe(0.8);
    expect(unitsToUsd(motionControlUnits('kling-v3', 'pro', 30_000))).toBe(5.04);
  });
});
