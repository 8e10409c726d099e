import { describe, expect, it } from 'vitest';
import { checkDraft } from '../../editor/check-draft.ts';
import { defaultDraft } from '../../editor/default-draft.ts';
import type { Draft } from '../../editor/draft-types.ts';
import { pngFrame } from '../../testing/draft.ts';
import { barWords } from './bar-words.ts';

const words = (d: Draft, opts?: Parameters<typeof barWords>[2]) => barWords(d, checkDraft(d), opts);

describe('barWords', () => {
  it('a new draft: the default setup in creator words and its cost with money', () => {
    const d = { ...defaultDraft(), frames: { start: pngFrame(1280, 720), end: null } };
    expect(words(d)).toEqual({
      setup: 'Kling 2.6 · Standard · 5 s',
      cost: '1.5 units (≈ $0.21)',
      costBasis: '5 s × 0.3 units/s',
      units: 1.5,
    });
  });

  it('follows the setup, sound and the operator rate; one unit is "1 unit"', () => {
    const pro = { ...defaultDraft(), mode: 'pro' as const, duration: '10' as const, sound: 'on' as const };
    expect(words(pro, { usdPerUnit: 0.2 }).setup).toBe('Kling 2.6 · Pro · 10 s');
    expect(words(pro, { usdPerUnit: 0.2 }).cost).toMatch(/^\d+(\.\d+)? units \(≈ \$\d+\.\d\d\)$/);
    const v1 = { ...defaultDraft(), model: 'kling-v1' as const };
    expect(words(v1).cost).toBe('1 unit (≈ $0.14)');
  });

  it('the Reference video tab: motion control, its length and price from the clip', () => {
    const d: Draft = { ...defaultDraft(), motionTab: 'reference' };
    expect(words(d)).toEqual({
      setup: 'Kling 2.6 · Standard · Reference video',
      cost: 'cost follows the reference video',
    });
    expect(words(d, { referenceMs: 4000 })).toEqual({
      setup: 'Kling 2.6 · Standard · 4 s · Reference video',
      cost: '2 units (≈ $0.28)',
      units: 2,
    });
  });
});
