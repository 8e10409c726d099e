import { describe, expect, it } from 'vitest';
import { draftWith, pngFrame } from '../testing/draft.ts';
import {
  closestSetup,
  durationChoices,
  featureOffer,
  modeChoices,
  modelChoices,
  requiredFeatures,
  settleMode,
  settleModel,
} from './gating.ts';

const disabled = <T extends string>(cs: { value: T; disabledReason?: string }[]) =>
  cs.filter((c) => c.disabledReason).map((c) => c.value);

describe('requiredFeatures', () => {
  it('asks only for what the active tab and the sound settings would send', () => {
    const end = pngFrame();
    expect(requiredFeatures(draftWith())).toEqual([]);
    expect(requiredFeatures(draftWith({ frames: { start: null, end } }))).toEqual(['endFrame']);
    // The end frame is kept but not sent while another tab is active.
    expect(requiredFeatures(draftWith({ frames: { start: null, end }, motionTab: 'camera' }))).toEqual([
      'camera',
    ]);
    expect(requiredFeatures(draftWith({ motionTab: 'brush' }))).toEqual(['motionBrush']);
    expect(requiredFeatures(draftWith({ sound: 'on', voices: ['v'] }))).toEqual(['sound', 'voice']);
  });
});

describe('option gating', () => {
  it('leaves only kling-v1-5 for camera control, each other model saying why', () => {
    const choices = modelChoices(['camera']);
    expect(choices.filter((c) => !c.disabledReason).map((c) => c.value)).toEqual(['kling-v1-5']);
    expect(choices.find((c) => c.value === 'kling-v1')!.disabledReason).toBe('no camera control');
  });

  it('gates modes and durations within a model', () => {
    expect(disabled(modeChoices('kling-v1-5', ['camera']))).toEqual(['std']);
    expect(modeChoices('kling-v1-5', ['camera'])[0]!.disabledReason).toBe('no camera control in Standard');
    expect(durationChoices('kling-v1-5', 'pro', ['camera'])[1]!.disabledReason).toBe(
      'no camera control at 10 s',
    );
    expect(disabled(durationChoices('kling-v1-5', 'pro', ['camera']))).toEqual(['10']);
    expect(disabled(durationChoices('kling-v1', 'std', ['endFrame']))).toEqual(['10']);
    expect(disabled(durationChoices('kling-v1', 'std', []))).toEqual([]);
  });

  it('names each missing feature per model', () => {
    const v26 = modelChoices(['endFrame', 'sound']).find((c) => c.value === 'kling-v2-6')!;
    // kling-v2-6 pro has both, and the matrix lets them combine; the contract refuses sound with an
    // end frame separately (sound_with_end_frame), so the option stays enabled here.
    expect(v26.disabledReason).toBeUndefined();
    expect(modelChoices(['camera', 'voice']).every((c) => c.disabledReason)).toBe(true);
    const byModel = Object.fromEntries(
      modelChoices(['camera', 'voice']).map((c) => [c.value, c.disabledReason]),
    );
    expect(byModel['kling-v1-5']).toBe('no voices');
    expect(byModel['kling-v2-6']).toBe('no camera control');
    expect(byModel['kling-v1']).toBe('no camera control or voices');
  });

  it('everything is open when nothing special is used', () => {
    expect(disabled(modelChoices([]))).toEqual([]);
  });
});

describe('settling and switching', () => {
  it('moves mode and duration to what still carries the draft', () => {
    expect(settleModel({ mode: 'std', duration: '10' }, 'kling-v1-5', ['camera'])).toEqual({
      mode: 'pro',
      duration: '5',
    });
    // Nothing special: keep what the creator had.
    expect(settleModel({ mode: 'std', duration: '10' }, 'kling-v2-1', [])).toEqual({
      mode: 'std',
      duration: '10',
    });
    // Models without modes keep the stored mode for later.
    expect(settleModel({ mode: 'pro', duration: '5' }, 'kling-v2-master', [])).toEqual({
      mode: 'pro',
      duration: '5',
    });
    expect(settleMode({ model: 'kling-v2-6', duration: '10' }, 'pro', ['voice'])).toBe('10');
  });

  it('offers Kling 1.5 · Pro · 5 s from the default setup when the creator picks Camera', () => {
    const offer = featureOffer(draftWith({ motionTab: 'camera' }), 'camera');
    expect(offer.supported).toBe(false);
    expect(offer.switchTo).toEqual({ model: 'kling-v1-5', mode: 'pro', duration: '5' });
    expect(offer.availableOn).toEqual(['Kling 1.5 · Pro · 5 s']);
    expect(offer.conflicts).toEqual([]);
  });

  it('prefers staying on the same model', () => {
    expect(closestSetup({ model: 'kling-v2-6', mode: 'std', duration: '10' }, ['voice'])).toEqual({
      model: 'kling-v2-6',
      mode: 'pro',
      duration: '10',
    });
  });

  it('says what a switch would give up', () => {
    const offer = featureOffer(draftWith({ model: 'kling-v1-5', mode: 'pro', motionTab: 'camera' }), 'voice');
    expect(offer.switchTo?.model).toBe('kling-v2-6');
    expect(offer.conflicts).toEqual(['camera']);
  });
});
