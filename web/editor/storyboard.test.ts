import { beforeEach, describe, expect, it } from 'vitest';
import { validateRequest } from '../../contract/rules/validate-request.ts';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import { pngFrame } from '../testing/draft.ts';
import { draftOf, useEditorStore } from './editor-store.ts';
import { modeChoices, modelChoices, requiredFeatures } from './gating.ts';
import { draftFromRequest } from './load-draft.ts';
import { restoreDraft } from './restore-draft.ts';
import { fitShotLengths, shotsTotal } from './storyboard.ts';
import { toCreateRequest } from './to-create-request.ts';

const store = () => useEditorStore.getState();
const lengths = () => store().storyboard.shots.map((s) => s.seconds);
const prompts = () => store().storyboard.shots.map((s) => s.prompt);

function v3(duration: '12' | '10' | '5' = '12') {
  store().setModel('kling-v3');
  store().setMode('std');
  store().setDuration(duration);
}

/** Three shots "a" (4 s), "b" (5 s), "c" (3 s) on a 12 s kling-v3 std draft. */
function threeShots() {
  v3('12');
  store().setMultiShot(true);
  store().addShot();
  store().addShot();
  for (const [i, p] of ['a', 'b', 'c'].entries()) store().setShotPrompt(i, p);
  for (const [i, n] of [4, 5, 3].entries()) store().setShotSeconds(i, n);
}

beforeEach(() => store().resetDraft());

describe('fitShotLengths', () => {
  it('leaves lengths that already add up alone', () => {
    expect(fitShotLengths([4, 5, 3], 12)).toEqual([4, 5, 3]);
    expect(fitShotLengths([1, 1, 10], 12)).toEqual([1, 1, 10]);
  });

  it('scales proportionally, in whole seconds, to exactly the total', () => {
    expect(fitShotLengths([1, 3], 12)).toEqual([3, 9]);
    expect(fitShotLengths([2, 4], 12)).toEqual([4, 8]);
    expect(fitShotLengths([5, 5, 5], 10)).toEqual([4, 3, 3]);
    expect(fitShotLengths([4, 5, 3], 15)).toEqual([5, 6, 4]);
    expect(fitShotLengths([12, 1, 1], 12)).toEqual([10, 1, 1]);
  });

  it('keeps every shot at 1 s or more, pinning the small ones', () => {
    expect(fitShotLengths([10, 1, 1], 4)).toEqual([2, 1, 1]);
    expect(fitShotLengths([20, 1, 1, 1, 1, 1], 6)).toEqual([1, 1, 1, 1, 1, 1]);
    for (const total of [6, 7, 9, 11, 15]) {
      const out = fitShotLengths([7, 1, 2, 9, 1, 3], total)!;
      expect(out.reduce((a, b) => a + b, 0)).toBe(total);
      expect(out.every((n) => Number.isInteger(n) && n >= 1)).toBe(true);
    }
  });

  it('is undefined when the total cannot give each shot a second', () => {
    expect(fitShotLengths([1, 1, 1, 1], 3)).toBeUndefined();
    expect(fitShotLengths([], 5)).toBeUndefined();
  });
});

describe('storyboard actions', () => {
  it('opens with one shot as long as the video; shots added take what is left, at least 1 s', () => {
    v3('12');
    store().setMultiShot(true);
    expect(lengths()).toEqual([12]);
    store().setShotSeconds(0, 7);
    store().addShot();
    expect(lengths()).toEqual([7, 5]);
    store().addShot();
    expect(lengths()).toEqual([7, 5, 1]);
  });

  it('adds at most six shots', () => {
    v3('12');
    store().setMultiShot(true);
    for (let i = 0; i < 8; i++) store().addShot();
    expect(store().storyboard.shots).toHaveLength(6);
  });

  it('removes and reorders shots, keeping each shot whole', () => {
    threeShots();
    const ids = store().storyboard.shots.map((s) => s.id);
    store().moveShot(2, -1);
    expect(prompts()).toEqual(['a', 'c', 'b']);
    expect(lengths()).toEqual([4, 3, 5]);
    store().moveShot(0, -1); // already first
    store().moveShot(2, 1); // already last
    expect(prompts()).toEqual(['a', 'c', 'b']);
    store().moveShot(0, 1);
    expect(prompts()).toEqual(['c', 'a', 'b']);
    store().removeShot(1);
    expect(prompts()).toEqual(['c', 'b']);
    expect(store().storyboard.shots.map((s) => s.id)).toEqual([ids[2], ids[1]]);
  });

  it('fits the lengths to the duration when asked, and only then', () => {
    threeShots();
    store().setDuration('15');
    expect(shotsTotal(store().storyboard.shots)).toBe(12);
    store().fitShots();
    expect(lengths()).toEqual([5, 6, 4]);
  });

  it('keeps the shots when multi-shot is turned off and back on', () => {
    threeShots();
    store().setMultiShot(false);
    store().setMultiShot(true);
    expect(prompts()).toEqual(['a', 'b', 'c']);
  });

  it('keeps models and modes without multi-shot out of reach while it is on', () => {
    threeShots();
    const features = requiredFeatures(draftOf(store()));
    expect(features).toContain('multiShot');
    const v26 = modelChoices(features).find((c) => c.value === 'kling-v2-6');
    expect(v26?.disabledReason).toBe('no multi-shot storyboards');
    const modes = modeChoices('kling-v3', features);
    expect(modes.find((c) => c.value === '4k')?.disabledReason).toBe('no multi-shot storyboards in 4K');
    expect(modes.find((c) => c.value === 'pro')?.disabledReason).toBeUndefined();
    store().setMultiShot(false);
    expect(requiredFeatures(draftOf(store()))).not.toContain('multiShot');
  });
});

describe('the request', () => {
  it('carries multi_shot, shot_type customize and the shots in order, numbered from 1', () => {
    threeShots();
    store().setPrompt('top-level, as typed');
    const req = toCreateRequest(draftOf(store()));
    expect(req).toMatchObject({
      model_name: 'kling-v3',
      mode: 'std',
      duration: '12',
      prompt: 'top-level, as typed',
      multi_shot: true,
      shot_type: 'customize',
      multi_prompt: [
        { index: 1, prompt: 'a', duration: '4' },
        { index: 2, prompt: 'b', duration: '5' },
        { index: 3, prompt: 'c', duration: '3' },
      ],
    });
    expect(req.element_list).toBeUndefined();
    store().setFrame('start', pngFrame());
    expect(validateRequest(toCreateRequest(draftOf(store())), { strictKeys: true }).violations).toEqual([]);
  });

  it('lets Kling plan the shots: no shots sent, the prompt required', () => {
    threeShots();
    store().setShotType('intelligence');
    store().setFrame('start', pngFrame());
    const req = toCreateRequest(draftOf(store()));
    expect(req.shot_type).toBe('intelligence');
    expect(req.multi_prompt).toBeUndefined();
    const { violations } = validateRequest(req, { strictKeys: true });
    expect(violations.map((v) => `${v.field}:${v.rule}`)).toEqual(['prompt:prompt_required']);
    // The shots wait in the draft for customize.
    expect(prompts()).toEqual(['a', 'b', 'c']);
  });

  it('sends element ids as numbers, and what is not digits as typed so the contract names it', () => {
    v3('5');
    store().addElement();
    store().addElement();
    store().setElement(0, ' 123 ');
    store().setElement(1, 'abc');
    const req = toCreateRequest(draftOf(store()));
    expect(req.multi_shot).toBeUndefined();
    expect(req.element_list).toEqual([{ element_id: 123 }, { element_id: 'abc' }]);
    store().addElement();
    store().addElement();
    expect(store().storyboard.elements).toHaveLength(3);
  });

  it('names each shot that breaks a rule, and the sum, with the contract words', () => {
    threeShots();
    store().setShotPrompt(1, 'x'.repeat(513));
    store().setShotSeconds(2, 2);
    store().setFrame('start', pngFrame());
    const { violations } = validateRequest(toCreateRequest(draftOf(store())), { strictKeys: true });
    expect(violations.map((v) => v.message)).toEqual([
      'Shot 2 prompt (multi_prompt[1].prompt): 513 characters is over the 512-character limit',
      'Storyboard (multi_prompt): the shots last 11 s in all, but the video lasts 12 s; they must add up exactly',
    ]);
  });
});

describe('restore and remix', () => {
  it('a remixed multi-shot request comes back as the storyboard', () => {
    const req: CreateRequest = {
      model_name: 'kling-v3',
      mode: 'pro',
      duration: '12',
      prompt: 'ignored in customize',
      multi_shot: true,
      shot_type: 'customize',
      multi_prompt: [
        { index: 1, prompt: 'wide', duration: '4' },
        { index: 2, prompt: 'close', duration: '5' },
        { index: 3, prompt: 'pan', duration: '3' },
      ],
      element_list: [{ element_id: 42 }, { element_id: '77' }],
    };
    const d = draftFromRequest(req);
    expect(d.storyboard).toMatchObject({
      enabled: true,
      shotType: 'customize',
      shots: [
        { prompt: 'wide', seconds: 4 },
        { prompt: 'close', seconds: 5 },
        { prompt: 'pan', seconds: 3 },
      ],
      elements: ['42', '77'],
    });
    const again = toCreateRequest(d);
    expect(again.multi_prompt).toEqual(req.multi_prompt);
    expect(again.element_list).toEqual([{ element_id: 42 }, { element_id: 77 }]);
    expect(
      draftFromRequest({ ...req, multi_prompt: undefined, shot_type: 'intelligence' }).storyboard,
    ).toMatchObject({ enabled: true, shotType: 'intelligence', shots: [] });
  });

  it('a request without a storyboard remixes into a closed one', () => {
    expect(draftFromRequest({ model_name: 'kling-v2-6', duration: '5' }).storyboard).toEqual({
      enabled: false,
      shotType: 'customize',
      shots: [],
      elements: [],
    });
  });

  it('a stored storyboard is repaired field by field', () => {
    const d = restoreDraft({
      storyboard: {
        enabled: true,
        shotType: 'bogus',
        shots: [{ id: 's1', prompt: 'ok', seconds: 3 }, { prompt: 5, seconds: 0.5 }, 'junk'],
        elements: ['1', 2, '3', '4', '5'],
      },
    });
    expect(d.storyboard.enabled).toBe(true);
    expect(d.storyboard.shotType).toBe('customize');
    expect(d.storyboard.shots.map(({ prompt, seconds }) => ({ prompt, seconds }))).toEqual([
      { prompt: 'ok', seconds: 3 },
      { prompt: '', seconds: 1 },
    ]);
    expect(d.storyboard.shots[0]!.id).toBe('s1');
    expect(d.storyboard.elements).toEqual(['1', '3', '4']);
    expect(restoreDraft({}).storyboard.enabled).toBe(false);
  });
});
