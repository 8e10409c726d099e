import { describe, expect, it } from 'vitest';
import { DURATIONS, MODEL_NAMES, MODELS } from '../capabilities/matrix.ts';
import { LIMITS } from '../limits.ts';
import { pngHeaderBase64 } from '../testing/test-images.ts';
import { fieldLabel } from './field-labels.ts';
import { validateMotionControl } from './validate-motion-control.ts';
import { validateRequest } from './validate-request.ts';

const IMG = pngHeaderBase64(1280, 720);
const v3 = { model_name: 'kling-v3', mode: 'pro', duration: '12', image: IMG } as const;
const v26 = { model_name: 'kling-v2-6', mode: 'pro', duration: '5', image: IMG } as const;
/** A customized storyboard whose shots last `seconds` each, indexed 1…n. */
const shots = (...seconds: (string | number)[]) => ({
  multi_shot: true,
  shot_type: 'customize',
  multi_prompt: seconds.map((s, i) => ({ index: i + 1, prompt: `shot ${i + 1}`, duration: String(s) })),
});
const elements = (n: number) => ({
  element_list: Array.from({ length: n }, (_, i) => ({ element_id: i + 1 })),
});
const voices = { sound: 'on', voice_list: [{ voice_id: 'v1' }] } as const;

type Expected = { field: string; rule: string }[];
/** [name, request, every violation expected (field and rule; empty = valid), words one message must hold] */
type Case = [string, Record<string, unknown>, Expected, string?];

const PASSING: Case[] = [
  ['a 3-shot 12 s storyboard (4 + 4 + 4)', { ...v3, ...shots(4, 4, 4) }, []],
  ['6 shots of 2 s in 12 s', { ...v3, ...shots(2, 2, 2, 2, 2, 2) }, []],
  ['one shot of 3 s in a 3 s video', { ...v3, duration: '3', ...shots(3) }, []],
  ['std, 15 s, 5 shots of 3 s', { ...v3, mode: 'std', duration: '15', ...shots(3, 3, 3, 3, 3) }, []],
  ['shots of 1 s (the minimum) and 11 s', { ...v3, ...shots(1, 11) }, []],
  [
    'a 512-character shot prompt',
    { ...v3, ...shots(12), multi_prompt: [{ index: 1, prompt: 'a'.repeat(512), duration: '12' }] },
    [],
  ],
  [
    'intelligence with a prompt',
    { ...v3, multi_shot: true, shot_type: 'intelligence', prompt: 'a chase' },
    [],
  ],
  // Since 2026-05-07 multi-shot may be combined with start/end frames on kling-v3 (kling-2026.md §1).
  ['multi-shot with start + end frames', { ...v3, image_tail: IMG, ...shots(6, 6) }, []],
  ['multi_shot false and no shot fields', { ...v3, multi_shot: false }, []],
  ['3 elements', { ...v3, ...elements(3) }, []],
  ['element ids as digit strings', { ...v3, element_list: [{ element_id: '123456789012345678' }] }, []],
  ['elements in a storyboard', { ...v3, ...shots(6, 6), ...elements(2) }, []],
  ['4k for 5 s', { ...v3, mode: '4k', duration: '5' }, []],
  ['4k with sound', { ...v3, mode: '4k', duration: '10', sound: 'on' }, []],
  ['kling-v3 with native sound in std', { ...v3, mode: 'std', sound: 'on' }, []],
];

const FAILING: Case[] = [
  // Shot fields without multi_shot: Kling would ignore them and bill a video that is not the storyboard.
  [
    'a shot type without multi_shot',
    { ...v3, shot_type: 'customize' },
    [{ field: 'shot_type', rule: 'needs_multi_shot' }],
    'Shot type (shot_type): a shot type needs multi_shot set to true',
  ],
  [
    'shots without multi_shot',
    { ...v3, ...shots(12), multi_shot: undefined, shot_type: undefined },
    [{ field: 'multi_prompt', rule: 'needs_multi_shot' }],
    'Storyboard (multi_prompt): shots need multi_shot set to true',
  ],
  [
    'shots with multi_shot false',
    { ...v3, ...shots(12), multi_shot: false },
    [
      { field: 'shot_type', rule: 'needs_multi_shot' },
      { field: 'multi_prompt', rule: 'needs_multi_shot' },
    ],
  ],
  // Models and modes without storyboards.
  [
    'multi_shot on kling-v2-6',
    { ...v26, ...shots(5) },
    [{ field: 'multi_shot', rule: 'feature_unsupported' }],
    'Multi-shot (multi_shot): multi-shot storyboards are not available on Kling 2.6 · Pro · 5 s; they are available on Kling 3.0 · Standard/Pro · 3–15 s',
  ],
  [
    'multi_shot on kling-v3 4k',
    { ...v3, mode: '4k', duration: '5', ...shots(5) },
    [{ field: 'multi_shot', rule: 'feature_unsupported' }],
    'not available on Kling 3.0 · 4K · 5 s',
  ],
  [
    'multi_shot without a shot type',
    { ...v3, multi_shot: true },
    [{ field: 'shot_type', rule: 'shot_type_required' }],
    'Shot type (shot_type): choose customize (your own shots) or intelligence (Kling plans them)',
  ],
  // intelligence: Kling plans the shots from the prompt.
  [
    'intelligence without a prompt',
    { ...v3, multi_shot: true, shot_type: 'intelligence' },
    [{ field: 'prompt', rule: 'prompt_required' }],
    'Prompt: a prompt is required when Kling plans the shots (shot_type intelligence)',
  ],
  [
    'intelligence with a blank prompt',
    { ...v3, multi_shot: true, shot_type: 'intelligence', prompt: '  \n ' },
    [{ field: 'prompt', rule: 'prompt_required' }],
  ],
  [
    'intelligence with shots',
    { ...v3, ...shots(12), shot_type: 'intelligence', prompt: 'a chase' },
    [{ field: 'multi_prompt', rule: 'shots_with_intelligence' }],
    'leave the shots out when Kling plans them',
  ],
  // customize: the shots themselves.
  [
    'customize without shots',
    { ...v3, multi_shot: true, shot_type: 'customize' },
    [{ field: 'multi_prompt', rule: 'multi_prompt_required' }],
    'Storyboard (multi_prompt): a customized storyboard needs at least one shot',
  ],
  [
    'customize with an empty list',
    { ...v3, ...shots() },
    [{ field: 'multi_prompt', rule: 'multi_prompt_required' }],
  ],
  [
    '7 shots',
    { ...v3, duration: '14', ...shots(2, 2, 2, 2, 2, 2, 2) },
    [{ field: 'multi_prompt', rule: 'multi_prompt_too_many' }],
    'Storyboard (multi_prompt): 7 shots given; at most 6 are allowed',
  ],
  [
    'shots indexed 1, 3, 2',
    {
      ...v3,
      ...shots(4, 4, 4),
      multi_prompt: [1, 3, 2].map((index) => ({ index, prompt: `shot ${index}`, duration: '4' })),
    },
    [
      { field: 'multi_prompt[1].index', rule: 'shot_index_order' },
      { field: 'multi_prompt[2].index', rule: 'shot_index_order' },
    ],
    'Shot 2 index (multi_prompt[1].index): must be 2 (shots are numbered 1…3 in order), not 3',
  ],
  [
    'shots indexed from 0',
    {
      ...v3,
      ...shots(6, 6),
      multi_prompt: [0, 1].map((index) => ({ index, prompt: 'x', duration: '6' })),
    },
    [
      { field: 'multi_prompt[0].index', rule: 'shot_index_order' },
      { field: 'multi_prompt[1].index', rule: 'shot_index_order' },
    ],
  ],
  [
    'a shot without a prompt',
    {
      ...v3,
      ...shots(6, 6),
      multi_prompt: [
        { index: 1, prompt: 'x', duration: '6' },
        { index: 2, prompt: ' ', duration: '6' },
      ],
    },
    [{ field: 'multi_prompt[1].prompt', rule: 'shot_prompt_required' }],
    'Shot 2 prompt (multi_prompt[1].prompt): every shot needs a prompt',
  ],
  [
    'a 513-character shot prompt',
    { ...v3, ...shots(12), multi_prompt: [{ index: 1, prompt: 'a'.repeat(513), duration: '12' }] },
    [{ field: 'multi_prompt[0].prompt', rule: 'shot_prompt_too_long' }],
    'Shot 1 prompt (multi_prompt[0].prompt): 513 characters is over the 512-character limit',
  ],
  [
    'a NUL in a shot prompt',
    { ...v3, ...shots(12), multi_prompt: [{ index: 1, prompt: 'a\u0000b', duration: '12' }] },
    [{ field: 'multi_prompt[0].prompt', rule: 'control_character' }],
    'Shot 1 prompt (multi_prompt[0].prompt): contains a control character (U+0000) at position 2',
  ],
  [
    'a shot of 4.5 s (the sum is then not judged)',
    { ...v3, ...shots(4, 3.5, 4.5) },
    [
      { field: 'multi_prompt[1].duration', rule: 'shot_duration_whole' },
      { field: 'multi_prompt[2].duration', rule: 'shot_duration_whole' },
    ],
    'Shot 3 length (multi_prompt[2].duration): must be a whole number of seconds as text ("4"), not "4.5"',
  ],
  [
    'a shot of 0 s',
    { ...v3, ...shots(12, 0) },
    [{ field: 'multi_prompt[1].duration', rule: 'shot_duration_min' }],
    'Shot 2 length (multi_prompt[1].duration): must be at least 1 s',
  ],
  [
    'shots of 4 + 4 + 3 in a 12 s video',
    { ...v3, ...shots(4, 4, 3) },
    [{ field: 'multi_prompt', rule: 'shot_durations_sum' }],
    'Storyboard (multi_prompt): the shots last 11 s in all, but the video lasts 12 s; they must add up exactly',
  ],
  [
    'shots of 13 s in a 12 s video',
    { ...v3, ...shots(6, 7) },
    [{ field: 'multi_prompt', rule: 'shot_durations_sum' }],
    'the shots last 13 s in all, but the video lasts 12 s',
  ],
  [
    'shots summed against Kling’s default 5 s when duration is left out',
    { ...v3, duration: undefined, ...shots(4, 4) },
    [{ field: 'multi_prompt', rule: 'shot_durations_sum' }],
    'the shots last 8 s in all, but the video lasts 5 s',
  ],
  [
    'a shot index that is not a whole number',
    { ...v3, ...shots(12), multi_prompt: [{ index: 1.5, prompt: 'x', duration: '12' }] },
    [{ field: 'multi_prompt[0].index', rule: 'integer' }],
  ],
  [
    'a shot duration as a number',
    { ...v3, ...shots(12), multi_prompt: [{ index: 1, prompt: 'x', duration: 12 }] },
    [{ field: 'multi_prompt[0].duration', rule: 'type' }],
  ],
  // Elements.
  [
    '4 elements',
    { ...v3, ...elements(4) },
    [{ field: 'element_list', rule: 'element_list_too_many' }],
    'Elements (element_list): 4 elements given; at most 3 are allowed',
  ],
  [
    'elements with voices on kling-v3 (which takes no voices either)',
    { ...v3, ...elements(1), ...voices },
    [
      { field: 'voice_list', rule: 'feature_unsupported' },
      { field: 'element_list', rule: 'elements_with_voices' },
    ],
    'Elements (element_list): elements and voices cannot be combined (Kling takes one or the other); remove the voices or the elements',
  ],
  [
    'elements on kling-v2-6',
    { ...v26, ...elements(1) },
    [{ field: 'element_list', rule: 'feature_unsupported' }],
    'Elements (element_list): elements is not available on Kling 2.6 · Pro · 5 s; it is available on Kling 3.0 · Standard/Pro · 3–15 s',
  ],
  [
    'elements with voices on kling-v2-6',
    { ...v26, ...elements(1), ...voices },
    [
      { field: 'element_list', rule: 'feature_unsupported' },
      { field: 'element_list', rule: 'elements_with_voices' },
    ],
  ],
  [
    'elements on kling-v3 4k',
    { ...v3, mode: '4k', ...elements(1) },
    [{ field: 'element_list', rule: 'feature_unsupported' }],
  ],
  // One message for every wrong id (zod's union said "must be a valid regex" or "at least 0 (got 0)").
  ...[0, -3, 1.5, 'abc', '0', '', null].map(
    (id): Case => [
      `element id ${JSON.stringify(id)}`,
      { ...v3, element_list: [{ element_id: id }] },
      [{ field: 'element_list[0].element_id', rule: 'invalid' }],
      'Elements (element_list[0].element_id): must be an element id from your Kling element library: a positive whole number (or its digits as text)',
    ],
  ),
  // Modes and durations.
  [
    '4k on kling-v2-6',
    { ...v26, mode: '4k' },
    [{ field: 'mode', rule: 'mode_unsupported' }],
    'Mode: Kling 2.6 offers Standard and Pro, not 4K; 4K is available on Kling 3.0',
  ],
  [
    '4k on a master (no modes at all)',
    { image: IMG, model_name: 'kling-v2-master', mode: '4k' },
    [{ field: 'mode', rule: 'mode_unsupported' }],
    'Mode: Kling 2.0 Master takes no mode; leave mode out',
  ],
  ['duration "16"', { ...v3, duration: '16' }, [{ field: 'duration', rule: 'enum' }]],
  ['duration "2"', { ...v3, duration: '2' }, [{ field: 'duration', rule: 'enum' }]],
  [
    'duration "7" on kling-v2-6',
    { ...v26, duration: '7' },
    [{ field: 'duration', rule: 'duration_unsupported' }],
    'Duration: Kling 2.6 does not offer 7 s (it offers 5 or 10 s)',
  ],
  [
    'duration "3" on kling-v1',
    { image: IMG, duration: '3' },
    [{ field: 'duration', rule: 'duration_unsupported' }],
    'Duration: Kling 1.0 does not offer 3 s (it offers 5 or 10 s)',
  ],
  // Broken fields are reported once, and rules that depend on them wait rather than guess.
  [
    'duration "16" with shots of 16 s: no sum judged against a made-up 5 s',
    { ...v3, duration: '16', ...shots(8, 8) },
    [{ field: 'duration', rule: 'enum' }],
  ],
  [
    'an unknown model with a storyboard: not blamed on kling-v1',
    { ...v3, model_name: 'kling-v9', ...shots(12), ...elements(1) },
    [{ field: 'model_name', rule: 'enum' }],
  ],
];

const key = (v: { field: string; rule: string }) => `${v.field} ${v.rule}`;

function check([, input, expected, words]: Case) {
  const { violations, request } = validateRequest(input, { strictKeys: true });
  expect(violations.map(key).sort()).toEqual(expected.map(key).sort());
  if (expected.length) expect(request).toBeUndefined();
  else expect(request).toEqual(JSON.parse(JSON.stringify(input)));
  if (words) expect(violations.map((v) => v.message)).toContainEqual(expect.stringContaining(words));
  // Every message leads with the field's label, so the UI and the API read the same.
  for (const v of violations) expect(v.message.startsWith(`${fieldLabel(v.field)}: `), v.message).toBe(true);
}

describe('storyboard, element, mode and duration rules: passing', () => {
  it.each(PASSING)('%s', (...c) => check(c));

  it('every duration from 3 to 15 s on kling-v3, in each mode, and a one-shot storyboard of it in std and pro', () => {
    for (const mode of MODELS['kling-v3'].modes)
      for (const duration of DURATIONS) {
        expect(validateRequest({ ...v3, mode, duration }).violations, `${mode} ${duration}`).toEqual([]);
        if (mode !== '4k')
          expect(validateRequest({ ...v3, mode, duration, ...shots(duration) }).violations).toEqual([]);
      }
  });

  it('5 and 10 s, and nothing else, on every other model', () => {
    for (const model of MODEL_NAMES.filter((m) => m !== 'kling-v3'))
      for (const duration of DURATIONS) {
        const rules = validateRequest({ image: IMG, model_name: model, duration }).violations.map(
          (v) => v.rule,
        );
        expect(rules, `${model} ${duration}`).toEqual(
          duration === '5' || duration === '10' ? [] : ['duration_unsupported'],
        );
      }
  });
});

describe('storyboard, element, mode and duration rules: failing', () => {
  it.each(FAILING)('%s', (...c) => check(c));

  it('the limits the rules use are the documented ones', () => {
    expect([LIMITS.shotsMax, LIMITS.shotPromptMaxChars, LIMITS.shotMinSeconds, LIMITS.elementsMax]).toEqual([
      6, 512, 1, 3,
    ]);
  });
});

describe('the API corpus: every violation at once', () => {
  it('a storyboard with 7 shots, a 513-character prompt, indexes out of order, a bad sum, 4 elements and voices', () => {
    const multi_prompt = [2, 2, 2, 2, 2, 2, 2].map((d, i) => ({
      index: i === 2 ? 4 : i === 3 ? 3 : i + 1,
      prompt: i === 1 ? 'a'.repeat(513) : `shot ${i + 1}`,
      duration: String(d),
    }));
    const { violations } = validateRequest(
      { ...v3, multi_shot: true, shot_type: 'customize', multi_prompt, ...elements(4), ...voices },
      { strictKeys: true },
    );
    expect(violations.map(key).sort()).toEqual(
      [
        'multi_prompt multi_prompt_too_many',
        'multi_prompt[1].prompt shot_prompt_too_long',
        'multi_prompt[2].index shot_index_order',
        'multi_prompt[3].index shot_index_order',
        'multi_prompt shot_durations_sum',
        'voice_list feature_unsupported',
        'element_list element_list_too_many',
        'element_list elements_with_voices',
      ].sort(),
    );
    expect(violations.find((v) => v.rule === 'shot_durations_sum')?.message).toContain(
      '14 s in all, but the video lasts 12 s',
    );
  });

  it('4k on kling-v2-6 with duration "16", multi_shot and elements with voices', () => {
    const { violations } = validateRequest(
      { ...v26, mode: '4k', duration: '16', ...shots(8, 8), ...elements(4), ...voices },
      { strictKeys: true },
    );
    expect(violations.map(key).sort()).toEqual(
      [
        'duration enum',
        'mode mode_unsupported',
        'multi_shot feature_unsupported',
        'sound feature_unsupported',
        'voice_list feature_unsupported',
        'element_list feature_unsupported',
        'element_list elements_with_voices',
      ].sort(),
    );
  });
});

describe('retired models (RETIRED_MODELS)', () => {
  it('a request on a retired model is refused on model_name in the words the studio shows everywhere', () => {
    const { violations, request } = validateRequest({ ...v26 }, { retiredModels: ['kling-v2-6'] });
    expect(request).toBeUndefined();
    expect(violations).toEqual([
      {
        field: 'model_name',
        rule: 'model_retired',
        message: 'Model: Kling no longer offers kling-v2-6; pick another',
      },
    ]);
  });

  it('Kling’s default model counts when model_name is left out', () => {
    const { violations } = validateRequest({ image: IMG }, { retiredModels: ['kling-v1'] });
    expect(violations.map(key)).toEqual(['model_name model_retired']);
  });

  it('other models pass, and the refusal comes with every other violation', () => {
    expect(validateRequest({ ...v3 }, { retiredModels: ['kling-v2-6', 'kling-v1'] }).violations).toEqual([]);
    const { violations } = validateRequest(
      { ...v26, mode: '4k', duration: '16', prompt: 7 },
      { retiredModels: ['kling-v2-6'] },
    );
    expect(violations.map(key).sort()).toEqual(
      ['duration enum', 'mode mode_unsupported', 'model_name model_retired', 'prompt type'].sort(),
    );
  });

  it('motion control takes the same option and says the same words', () => {
    const body = {
      model_name: 'kling-v3',
      image_url: 'https://example.com/a.png',
      video_url: 'https://example.com/a.mp4',
      character_orientation: 'video',
      mode: 'std',
    };
    expect(validateMotionControl(body).violations).toEqual([]);
    expect(validateMotionControl(body, { retiredModels: ['kling-v3'] }).violations).toEqual([
      {
        field: 'model_name',
        rule: 'model_retired',
        message: 'Model: Kling no longer offers kling-v3; pick another',
      },
    ]);
    // Its default model (kling-v2-6) counts when model_name is left out.
    const { model_name: _m, ...noModel } = body;
    expect(validateMotionControl(noModel, { retiredModels: ['kling-v2-6'] }).violations.map(key)).toEqual([
      'model_name model_retired',
    ]);
  });
});
