import { describe, expect, it } from 'vitest';
import { defaultDraft } from './default-draft.ts';
import { draftFromRequest } from './load-draft.ts';
import { nearestDuration, restoreDraft } from './restore-draft.ts';

describe('restoring the setup of a stored draft', () => {
  it('a new draft starts on the studio default, kling-v2-6 std 5 s', () => {
    expect(restoreDraft(undefined)).toMatchObject({ model: 'kling-v2-6', mode: 'std', duration: '5' });
    expect(defaultDraft().model).toBe('kling-v2-6');
  });

  it('keeps kling-v3 at 12 s in 4k', () => {
    expect(restoreDraft({ model: 'kling-v3', mode: '4k', duration: '12' })).toMatchObject({
      model: 'kling-v3',
      mode: '4k',
      duration: '12',
    });
  });

  it("moves kling-v3's length and 4k beside another model to the nearest that model takes", () => {
    expect(restoreDraft({ model: 'kling-v2-6', mode: '4k', duration: '12' })).toMatchObject({
      model: 'kling-v2-6',
      mode: 'std',
      duration: '10',
    });
    expect(restoreDraft({ model: 'kling-v1', mode: 'pro', duration: '3' })).toMatchObject({
      mode: 'pro',
      duration: '5',
    });
  });

  it('a model without modes keeps the stored mode for when the creator switches back', () => {
    expect(restoreDraft({ model: 'kling-v2-master', mode: 'pro', duration: '10' })).toMatchObject({
      mode: 'pro',
      duration: '10',
    });
  });

  it('nearestDuration', () => {
    expect(nearestDuration(['5', '10'], '7')).toBe('5');
    expect(nearestDuration(['5', '10'], '8')).toBe('10');
    expect(nearestDuration(['5', '10'], '10')).toBe('10');
  });
});

describe('remix of a request without model_name', () => {
  it("opens on Kling's default (kling-v1), the model the task ran on, not the studio's", () => {
    expect(draftFromRequest({ duration: '5' }).model).toBe('kling-v1');
    expect(draftFromRequest({ model_name: 'kling-v3', mode: '4k', duration: '12' })).toMatchObject({
      model: 'kling-v3',
      mode: '4k',
      duration: '12',
    });
  });
});
