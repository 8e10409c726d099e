import { describe, expect, it } from 'vitest';
import { MODELS, withRetiredModels } from '../../contract/capabilities/matrix.ts';
import { draftWith, pngFrame } from '../testing/draft.ts';
import { checkDraft } from './check-draft.ts';
import { closestSetup, durationChoices, modeChoices, modelChoices, settleModel } from './gating.ts';

describe('modelChoices and lifecycles', () => {
  it('labels legacy models and leaves current ones plain', () => {
    const byValue = Object.fromEntries(modelChoices([]).map((c) => [c.value, c]));
    expect(byValue['kling-v1']!.label).toBe('Kling 1.0 · Legacy');
    expect(byValue['kling-v2-1-master']!.label).toBe('Kling 2.1 Master · Legacy');
    expect(byValue['kling-v2-6']!.label).toBe('Kling 2.6');
    expect(byValue['kling-v3']!.label).toBe('Kling 3.0');
    // The API's name stays in the option's tooltip.
    expect(byValue['kling-v2-6']!.apiName).toBe('kling-v2-6');
    expect(modelChoices([]).filter((c) => c.disabledReason)).toEqual([]);
  });

  it('disables a model the served map retires, with its note, even when the draft could use it', () => {
    const served = withRetiredModels(MODELS, ['kling-v2-1-master']);
    const choice = modelChoices([], served).find((c) => c.value === 'kling-v2-1-master')!;
    expect(choice.disabledReason).toBe('Kling no longer offers kling-v2-1-master; pick another');
    expect(choice.label).toBe('Kling 2.1 Master');
    // The retirement wins over a feature reason.
    const camera = modelChoices(['camera'], withRetiredModels(MODELS, ['kling-v1-5']));
    expect(camera.find((c) => c.value === 'kling-v1-5')!.disabledReason).toBe(
      'Kling no longer offers kling-v1-5; pick another',
    );
  });
});

describe('kling-v3 setups', () => {
  it('offers 4K (2160p) on kling-v3 only', () => {
    expect(modeChoices('kling-v3', []).map((c) => c.label)).toEqual(['Standard', 'Pro', '4K (2160p)']);
    expect(modeChoices('kling-v2-6', []).map((c) => c.value)).toEqual(['std', 'pro']);
  });

  it('gives kling-v3 every second from 3 to 15, the others 5 and 10', () => {
    expect(durationChoices('kling-v3', '4k', []).map((c) => c.value)).toEqual(
      Array.from({ length: 13 }, (_, i) => String(i + 3)),
    );
    expect(durationChoices('kling-v2-6', 'std', []).map((c) => c.value)).toEqual(['5', '10']);
  });

  it('leaving kling-v3 at 12 s in 4K lands on the nearest length and a mode the model has', () => {
    expect(settleModel({ mode: '4k', duration: '12' }, 'kling-v2-6', [])).toEqual({
      mode: 'std',
      duration: '10',
    });
    expect(settleModel({ mode: 'pro', duration: '7' }, 'kling-v2-6', [])).toEqual({
      mode: 'pro',
      duration: '5',
    });
    expect(closestSetup({ model: 'kling-v2-6', mode: 'pro', duration: '14' }, [], ['kling-v2-6'])).toEqual({
      model: 'kling-v2-6',
      mode: 'pro',
      duration: '10',
    });
  });

  it('coming to kling-v3 keeps the mode and the length', () => {
    expect(settleModel({ mode: 'pro', duration: '10' }, 'kling-v3', [])).toEqual({
      mode: 'pro',
      duration: '10',
    });
  });
});

describe('checkDraft with the served retired models', () => {
  it('refuses a draft on a retired model in the contract words, and nothing else changes', () => {
    const d = draftWith({ model: 'kling-v2-1-master', frames: { start: pngFrame(1280, 720), end: null } });
    expect(checkDraft(d).violations).toEqual([]);
    const [v, ...rest] = checkDraft(d, [], [], ['kling-v2-1-master']).violations;
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ field: 'model_name', rule: 'model_retired' });
    expect(v!.message).toMatch(/Kling no longer offers kling-v2-1-master; pick another$/);
  });

  it('refuses the Reference video tab on a retired motion-control model too', () => {
    const d = draftWith({ motionTab: 'reference' });
    const rules = checkDraft(d, [], [], ['kling-v2-6']).violations.map((x) => x.rule);
    expect(rules).toContain('model_retired');
    expect(checkDraft(d).violations.map((x) => x.rule)).not.toContain('model_retired');
  });
});
