import { describe, expect, it } from 'vitest';
import { motionControlCostLine, motionControlRateLine } from './motion-control-cost.ts';

describe('motion-control cost line', () => {
  it.each([
    // seconds × rate (units/s) = units; money at 0.14 $/unit, rounded to cents
    ['kling-v2-6', 'std', 4000, '4 s × 0.5 units/s = 2 units (≈ $0.28)'],
    ['kling-v2-6', 'pro', 7000, '7 s × 0.8 units/s = 5.6 units (≈ $0.78)'],
    // 7.2 s bills as 8 whole seconds (never an under-estimate), and the line says why it is 8
    ['kling-v3', 'pro', 7200, '7.2 s, billed as 8 s × 1.2 units/s = 9.6 units (≈ $1.34)'],
    // an encoder's AAC padding makes a "4 s" clip 4.023 s
    ['kling-v2-6', 'std', 4023, '4.023 s, billed as 5 s × 0.5 units/s = 2.5 units (≈ $0.35)'],
    ['kling-v3', 'std', 30_000, '30 s × 0.9 units/s = 27 units (≈ $3.78)'],
  ] as const)('%s %s %d ms → %s', (model, mode, ms, line) => {
    expect(motionControlCostLine(model, mode, ms)).toBe(line);
  });

  it('gives the rate before a clip is added', () => {
    expect(motionControlRateLine('kling-v3', 'pro')).toBe('1.2 units per second of the reference video');
  });
});
