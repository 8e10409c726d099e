import { describe, expect, it } from 'vitest';
import {
  describeSetup,
  describeSetups,
  isRetired,
  MODEL_NAMES,
  MODELS,
  STUDIO_DEFAULT_MODEL,
  setupsSupporting,
  supports,
  variantOf,
  withRetiredModels,
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
    ['motionBrush', ['Kling 1.0 · Standard · 5 s', 'Kling 1.0 · Pro · 5 s', 'Kling 1.5 · Pro · 5 s']],
    ['camera', ['Kling 1.5 · Pro · 5 s']],
    ['voice', ['Kling 2.6 · Pro · 5 s', 'Kling 2.6 · Pro · 10 s']],
  ] as const)('%s is available on exactly %j', (feature, setups) => {
    expect(setupsSupporting(feature).map((s) => describeSetup(s))).toEqual(setups);
  });

  it.each([
    ['sound', ['Kling 2.6 · Pro · 5 or 10 s', 'Kling 3.0 · Standard/Pro/4K · 3–15 s']],
    ['multiShot', ['Kling 3.0 · Standard/Pro · 3–15 s']],
    ['elements', ['Kling 3.0 · Standard/Pro · 3–15 s']],
    ['motionBrush', ['Kling 1.0 · Standard/Pro · 5 s', 'Kling 1.5 · Pro · 5 s']],
    [
      'endFrame',
      [
        'Kling 1.0 · Standard/Pro · 5 s',
        'Kling 1.5 · Pro · 5 or 10 s',
        'Kling 1.6 · Pro · 5 or 10 s',
        'Kling 2.1 · Pro · 5 or 10 s',
        'Kling 2.5 Turbo · Pro · 5 or 10 s',
        'Kling 2.6 · Pro · 5 or 10 s',
        'Kling 3.0 · Standard/Pro/4K · 3–15 s',
      ],
    ],
  ] as const)('%s, folded per model, is available on %j', (feature, setups) => {
    expect(describeSetups(setupsSupporting(feature))).toEqual(setups);
  });

  it('folds only a full grid of modes × durations; anything else is listed setup by setup', () => {
    expect(
      describeSetups([
        { model: 'kling-v3', mode: 'std', duration: '5' },
        { model: 'kling-v3', mode: 'pro', duration: '10' },
      ]),
    ).toEqual(['Kling 3.0 · Standard · 5 s', 'Kling 3.0 · Pro · 10 s']);
    expect(
      describeSetups([
        { model: 'kling-v2-master', mode: undefined, duration: '5' },
        { model: 'kling-v2-master', mode: undefined, duration: '10' },
      ]),
    ).toEqual(['Kling 2.0 Master · 5 or 10 s']);
  });

  it('kling-v3: 3–15 s, std/pro/4k, multi-shot and elements but not in 4k, no brush, no camera', () => {
    expect(MODELS['kling-v3'].durations).toEqual([
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
      '12',
      '13',
      '14',
      '15',
    ]);
    expect(MODELS['kling-v3'].modes).toEqual(['std', 'pro', '4k']);
    expect(variantOf('kling-v3', '4k', '7')).toMatchObject({ endFrame: true, sound: true, multiShot: false });
    expect(variantOf('kling-v3', 'std', '15')).toMatchObject({
      multiShot: true,
      elements: true,
      motionBrush: false,
    });
    expect(variantOf('kling-v3', 'std', '15').camera).toEqual([]);
    // A duration the model does not offer has no features, whatever a wildcard says.
    expect(variantOf('kling-v2-6', 'pro', '7')).toMatchObject({ endFrame: false, sound: false });
  });

  it('lifecycles: the reported-retired models are legacy with the note and date; the rest active', () => {
    const legacy = MODEL_NAMES.filter((m) => MODELS[m].lifecycle.status === 'legacy');
    expect(legacy).toEqual(['kling-v1', 'kling-v1-5', 'kling-v1-6', 'kling-v2-1', 'kling-v2-1-master']);
    for (const m of legacy)
      expect(MODELS[m].lifecycle).toEqual({
        status: 'legacy',
        note: 'reported retired on 2026-09-15; may fail on your account',
        date: '2026-09-15',
      });
    expect(MODELS[STUDIO_DEFAULT_MODEL].lifecycle.status).toBe('active');
  });

  it('an operator retires models by name; unknown names are ignored; MODELS itself is untouched', () => {
    const map = withRetiredModels(MODELS, ['kling-v2-5-turbo', 'kling-v9']);
    expect(map['kling-v2-5-turbo'].lifecycle).toEqual({
      status: 'retired',
      note: 'Kling no longer offers kling-v2-5-turbo; pick another',
    });
    expect(isRetired(map, 'kling-v2-5-turbo')).toBe(true);
    expect(isRetired(MODELS, 'kling-v2-5-turbo')).toBe(false);
    expect(Object.keys(map)).toEqual(MODEL_NAMES);
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
});
