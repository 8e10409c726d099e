import { describe, expect, it } from 'vitest';
import { DURATIONS } from '../capabilities/matrix.ts';
import {
  billedSeconds,
  DEFAULT_USD_PER_UNIT,
  IMAGE2VIDEO_PRICES,
  image2videoPrice,
  image2videoUnits,
  MOTION_CONTROL_UNITS_PER_SECOND,
  motionControlUnits,
  PRICE_SOURCE,
  type PriceSetup,
  roundUnits,
  unitsToUsd,
  unpricedSetups,
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

describe('the image2video price table, as data (kling-2026.md §3)', () => {
  it('prices every model × mode × duration of the capability map, with sound and voices where allowed', () => {
    expect(unpricedSetups()).toEqual([]);
    // And would say so if a price went missing: a sound price dropped, a mode dropped.
    const v26pro = IMAGE2VIDEO_PRICES['kling-v2-6'].perSecond.pro!;
    const v3 = IMAGE2VIDEO_PRICES['kling-v3'].perSecond;
    const saved = { sound: v26pro.sound, fourK: v3['4k'] };
    try {
      delete v26pro.sound;
      delete v3['4k'];
      expect(unpricedSetups()).toEqual([
        'kling-v2-6 pro 5s with sound',
        'kling-v2-6 pro 10s with sound',
        ...DURATIONS.map((d) => `kling-v3 4k ${d}s`),
      ]);
    } finally {
      v26pro.sound = saved.sound;
      v3['4k'] = saved.fourK;
    }
    expect(unpricedSetups()).toEqual([]);
  });

  it('units per second: the 2026 table for current models, the known list for legacy ones', () => {
    const perSecond = Object.fromEntries(
      Object.entries(IMAGE2VIDEO_PRICES).map(([model, p]) => [model, p.perSecond]),
    );
    expect(perSecond).toEqual({
      'kling-v1': { std: { silent: 0.2 }, pro: { silent: 0.7 } },
      'kling-v1-5': { std: { silent: 0.2 }, pro: { silent: 0.7 } },
      'kling-v1-6': { std: { silent: 0.2 }, pro: { silent: 0.7 } },
      'kling-v2-master': { '-': { silent: 2 } },
      'kling-v2-1': { std: { silent: 0.2 }, pro: { silent: 0.7 } },
      'kling-v2-1-master': { '-': { silent: 2 } },
      'kling-v2-5-turbo': { std: { silent: 0.3 }, pro: { silent: 0.5 } },
      'kling-v2-6': { std: { silent: 0.3 }, pro: { silent: 0.5, sound: 1.2 } },
      'kling-v3': {
        std: { silent: 0.6, sound: 0.9 },
        pro: { silent: 0.8, sound: 1.2 },
        '4k': { silent: 3, sound: 3 },
      },
    });
    expect(IMAGE2VIDEO_PRICES['kling-v2-6'].voicesPer5s).toBe(6);
    for (const model of ['kling-v2-5-turbo', 'kling-v2-6', 'kling-v3'] as const)
      expect(IMAGE2VIDEO_PRICES[model].source).toBe('K-PRICE 2026');
    for (const model of ['kling-v1', 'kling-v1-5', 'kling-v1-6', 'kling-v2-1', 'kling-v2-master'] as const)
      expect(IMAGE2VIDEO_PRICES[model].source).toMatch(/absent from the 2026 table/);
  });

  it.each([
    // [model, mode, duration, sound, voices, units]
    ['kling-v3', 'std', '5', false, 0, 3],
    ['kling-v3', 'pro', '5', false, 0, 4],
    ['kling-v3', '4k', '5', false, 0, 15],
    ['kling-v3', 'std', '5', true, 0, 4.5],
    ['kling-v3', 'pro', '5', true, 0, 6],
    ['kling-v3', '4k', '5', true, 0, 15],
    ['kling-v3', 'pro', '12', false, 0, 9.6],
    ['kling-v3', 'pro', '12', true, 0, 14.4],
    ['kling-v3', 'std', '3', false, 0, 1.8],
    ['kling-v3', '4k', '15', false, 0, 45],
    ['kling-v3', 'std', '7', true, 0, 6.3],
    ['kling-v2-6', 'std', '5', false, 0, 1.5],
    ['kling-v2-6', 'pro', '5', false, 0, 2.5],
    ['kling-v2-6', 'pro', '10', false, 0, 5],
    ['kling-v2-6', 'pro', '5', true, 0, 6],
    ['kling-v2-6', 'pro', '5', true, 1, 6],
    ['kling-v2-6', 'pro', '10', true, 2, 12],
    ['kling-v2-5-turbo', 'std', '5', false, 0, 1.5],
    ['kling-v2-5-turbo', 'pro', '10', false, 0, 5],
    // Legacy: 1 (std) and 3.5 (pro) per 5 s; masters 10 per 5 s.
    ['kling-v1', 'std', '5', false, 0, 1],
    ['kling-v1', 'pro', '5', false, 0, 3.5],
    ['kling-v1-5', 'pro', '10', false, 0, 7],
    ['kling-v1-6', 'std', '10', false, 0, 2],
    ['kling-v2-1', 'pro', '5', false, 0, 3.5],
    ['kling-v2-master', undefined, '5', false, 0, 10],
    ['kling-v2-1-master', undefined, '10', false, 0, 20],
  ] as const)('%s %s %s s, sound %s, %i voices → %d units', (model, mode, duration, sound, voices, units) => {
    expect(image2videoUnits({ model, mode, duration, sound, voices })).toBe(units);
    expect(image2videoPrice({ model, mode, duration, sound, voices })?.units).toBe(units);
  });

  it('the cost changes with the model, the mode, the duration and the sound', () => {
    const base = { model: 'kling-v3', mode: 'pro', duration: '10', sound: false } as const;
    const cost = (over: Partial<PriceSetup>) => image2videoUnits({ ...base, ...over });
    const b = cost({});
    expect(b).toBe(8);
    expect(cost({ model: 'kling-v2-6' })).not.toBe(b);
    expect(cost({ mode: 'std' })).not.toBe(b);
    expect(cost({ mode: '4k' })).not.toBe(b);
    expect(cost({ duration: '11' })).not.toBe(b);
    expect(cost({ sound: true })).not.toBe(b);
    // Every step of the v3 slider moves the price, in every mode.
    for (const mode of ['std', 'pro', '4k'] as const) {
      const prices = DURATIONS.map((duration) => cost({ mode, duration }));
      expect(new Set(prices).size, mode).toBe(DURATIONS.length);
    }
    // Voices on kling-v2-6: 6 units per 5 s (the same as sound on today; both are priced).
    expect(
      image2videoUnits({ model: 'kling-v2-6', mode: 'pro', duration: '10', sound: true, voices: 1 }),
    ).toBe(12);
  });

  it('says how a figure was reached', () => {
    expect(image2videoPrice({ model: 'kling-v3', mode: 'pro', duration: '12', sound: true })?.basis).toBe(
      '12 s × 1.2 units/s with sound',
    );
    expect(image2videoPrice({ model: 'kling-v2-6', mode: 'std', duration: '5' })?.basis).toBe(
      '5 s × 0.3 units/s',
    );
    expect(
      image2videoPrice({ model: 'kling-v2-6', mode: 'pro', duration: '10', sound: true, voices: 2 })?.basis,
    ).toBe('10 s with voices at 6 units per 5 s');
  });

  it('a mode the model does not offer has no price (it is refused before it could cost)', () => {
    expect(image2videoPrice({ model: 'kling-v2-6', mode: '4k', duration: '5' })).toBeUndefined();
    expect(image2videoUnits({ model: 'kling-v2-6', mode: '4k', duration: '5' })).toBe(0);
  });
});
