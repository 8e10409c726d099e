import { describe, expect, it } from 'vitest';
import { LIMITS } from '../limits.ts';
import type { CreateRequest } from '../schemas/create-request.ts';
import { jpegHeaderBase64, pngHeaderBase64 } from '../testing/test-images.ts';
import { formatAspect } from './image-rules.ts';
import { ASYNC_RULES, validateRequest } from './validate-request.ts';

const IMG = pngHeaderBase64(1280, 720);
const MASK = pngHeaderBase64(1280, 720);
const simple = (
  axes: Partial<Record<'horizontal' | 'vertical' | 'pan' | 'tilt' | 'roll' | 'zoom', number>>,
) => ({
  type: 'simple' as const,
  config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 0, ...axes },
});
const brush = (n = 1, points = 2): Pick<CreateRequest, 'dynamic_masks'> => ({
  dynamic_masks: Array.from({ length: n }, () => ({
    mask: MASK,
    trajectories: Array.from({ length: points }, (_, i) => ({ x: 10 + i, y: 10 + i })),
  })),
});
const v15pro = { model_name: 'kling-v1-5', mode: 'pro', duration: '5' } as const;
const v26pro = { model_name: 'kling-v2-6', mode: 'pro', duration: '5' } as const;

/** [name, request, expected rule ids (empty = valid), the field of the first violation] */
type Case = [string, Record<string, unknown>, string[], string?];

const cases: Case[] = [
  // Frames
  ['start frame only', { image: IMG }, []],
  ['URL start frame', { image: 'https://example.com/a.png' }, []],
  ['no frame at all', { prompt: 'x' }, ['image_required'], 'image'],
  ['end frame without start', { image_tail: IMG }, ['image_tail_needs_image'], 'image'],
  // An empty string is an empty file: refused like one, never forwarded as `image_tail: ""`.
  ['empty start frame', { image: '' }, ['image_empty'], 'image'],
  ['empty end frame', { image: IMG, image_tail: '' }, ['image_empty'], 'image_tail'],
  ['start + end frame on kling-v1 std 5s', { image: IMG, image_tail: IMG }, []],
  [
    'end frame on kling-v1 std 10s',
    { image: IMG, image_tail: IMG, duration: '10' },
    ['feature_unsupported'],
    'image_tail',
  ],
  // Mutually exclusive features
  ['frames + brush', { image: IMG, image_tail: IMG, ...brush() }, ['exclusive_features'], 'dynamic_masks'],
  [
    'brush + camera',
    { image: IMG, ...v15pro, ...brush(), camera_control: simple({ zoom: 5 }) },
    ['exclusive_features'],
    'camera_control',
  ],
  [
    'static mask + camera',
    { image: IMG, ...v15pro, static_mask: MASK, camera_control: simple({ zoom: 5 }) },
    ['exclusive_features'],
    'camera_control',
  ],
  // Capability matrix
  ['brush on kling-v1 std 5s', { image: IMG, ...brush() }, []],
  ['brush on kling-v1-5 pro 5s (capability map)', { image: IMG, ...v15pro, ...brush() }, []],
  [
    'brush on kling-v1-6 pro',
    { image: IMG, model_name: 'kling-v1-6', mode: 'pro', ...brush() },
    ['feature_unsupported'],
    'dynamic_masks',
  ],
  [
    'static mask only on v2-1',
    { image: IMG, model_name: 'kling-v2-1', static_mask: MASK },
    ['feature_unsupported'],
    'static_mask',
  ],
  ['camera on kling-v1-5 pro 5s', { image: IMG, ...v15pro, camera_control: simple({ pan: -3 }) }, []],
  [
    'camera on kling-v1 std 5s',
    { image: IMG, camera_control: simple({ pan: 3 }) },
    ['feature_unsupported'],
    'camera_control',
  ],
  [
    'preset camera on kling-v1-5 (simple only)',
    { image: IMG, ...v15pro, camera_control: { type: 'down_back' } },
    ['camera_type_unsupported'],
    'camera_control.type',
  ],
  [
    'mode on a model without modes',
    { image: IMG, model_name: 'kling-v2-master', mode: 'pro' },
    ['mode_unsupported'],
    'mode',
  ],
  ['no mode on a master', { image: IMG, model_name: 'kling-v2-master', duration: '10' }, []],
  // Camera config
  [
    'simple with two axes',
    { image: IMG, ...v15pro, camera_control: simple({ pan: 1, zoom: 2 }) },
    ['camera_one_axis'],
    'camera_control.config',
  ],
  ['simple with no axis', { image: IMG, ...v15pro, camera_control: simple({}) }, ['camera_one_axis']],
  [
    'simple without config',
    { image: IMG, ...v15pro, camera_control: { type: 'simple' } },
    ['camera_config_required'],
  ],
  [
    'axis at 11',
    { image: IMG, ...v15pro, camera_control: simple({ zoom: 11 }) },
    ['range'],
    'camera_control.config.zoom',
  ],
  ['axis at -10', { image: IMG, ...v15pro, camera_control: simple({ zoom: -10 }) }, []],
  [
    'config on a preset',
    { image: IMG, ...v15pro, camera_control: { ...simple({ zoom: 1 }), type: 'forward_up' } },
    ['camera_type_unsupported', 'camera_config_forbidden'],
  ],
  // cfg_scale
  ['cfg_scale on kling-v1', { image: IMG, cfg_scale: 0.5 }, []],
  [
    'cfg_scale on a v2 model',
    { image: IMG, model_name: 'kling-v2-1', cfg_scale: 0.5 },
    ['cfg_scale_unsupported'],
    'cfg_scale',
  ],
  ['cfg_scale above 1', { image: IMG, cfg_scale: 1.5 }, ['range'], 'cfg_scale'],
  // Sound and voices
  [
    'voices on kling-v2-6 pro',
    { image: IMG, ...v26pro, sound: 'on', voice_list: [{ voice_id: 'a' }], prompt: 'Hi <<<voice_1>>>' },
    [],
  ],
  [
    'voices on kling-v1',
    { image: IMG, sound: 'on', voice_list: [{ voice_id: 'a' }] },
    ['feature_unsupported', 'feature_unsupported'],
    'sound',
  ],
  [
    'voices on kling-v2-6 std',
    { image: IMG, ...v26pro, mode: 'std', voice_list: [{ voice_id: 'a' }] },
    ['feature_unsupported'],
    'voice_list',
  ],
  [
    'voices with sound off',
    { image: IMG, ...v26pro, voice_list: [{ voice_id: 'a' }] },
    ['voice_needs_sound'],
    'voice_list',
  ],
  [
    'three voices',
    {
      image: IMG,
      ...v26pro,
      sound: 'on',
      voice_list: [{ voice_id: 'a' }, { voice_id: 'b' }, { voice_id: 'c' }],
    },
    ['too_many'],
    'voice_list',
  ],
  [
    '<<<voice_3>>> with two voices',
    {
      image: IMG,
      ...v26pro,
      sound: 'on',
      voice_list: [{ voice_id: 'a' }, { voice_id: 'b' }],
      prompt: '<<<voice_3>>> hi',
    },
    ['voice_reference_missing'],
    'prompt',
  ],
  [
    '<<<voice_1>>> without voices',
    { image: IMG, prompt: '<<<voice_1>>> hi' },
    ['voice_reference_missing'],
    'prompt',
  ],
  [
    'sound with an end frame',
    { image: IMG, image_tail: IMG, ...v26pro, sound: 'on' },
    ['sound_with_end_frame'],
    'sound',
  ],
  // Prompt and enums
  ['2500-character prompt', { image: IMG, prompt: 'a'.repeat(LIMITS.promptMaxChars) }, []],
  ['2501-character prompt', { image: IMG, prompt: 'a'.repeat(2501) }, ['max_length'], 'prompt'],
  [
    '2501-character negative prompt',
    { image: IMG, negative_prompt: 'a'.repeat(2501) },
    ['max_length'],
    'negative_prompt',
  ],
  ['unknown model', { image: IMG, model_name: 'kling-v9' }, ['enum'], 'model_name'],
  ['duration "16"', { image: IMG, duration: '16' }, ['enum'], 'duration'],
  ['duration "7" on kling-v1', { image: IMG, duration: '7' }, ['duration_unsupported'], 'duration'],
  ['duration as a number', { image: IMG, duration: 5 }, ['enum'], 'duration'],
  ['mode "ultra"', { image: IMG, mode: 'ultra' }, ['enum'], 'mode'],
  ['prompt as a number', { image: IMG, prompt: 42 }, ['type'], 'prompt'],
  ['callback_url not http', { image: IMG, callback_url: 'ftp://x/y' }, ['format'], 'callback_url'],
  [
    'external_task_id too long',
    { image: IMG, external_task_id: 'x'.repeat(65) },
    ['max_length'],
    'external_task_id',
  ],
  // Masks and trajectories
  ['7 dynamic masks', { image: IMG, ...brush(7) }, ['too_many'], 'dynamic_masks'],
  ['6 dynamic masks', { image: IMG, ...brush(6) }, []],
  ['1 trajectory point', { image: IMG, ...brush(1, 1) }, ['too_few'], 'dynamic_masks[0].trajectories'],
  ['77 trajectory points', { image: IMG, ...brush(1, 77) }, []],
  ['78 trajectory points', { image: IMG, ...brush(1, 78) }, ['too_many'], 'dynamic_masks[0].trajectories'],
  [
    'non-integer point',
    {
      image: IMG,
      dynamic_masks: [
        {
          mask: MASK,
          trajectories: [
            { x: 1.5, y: 2 },
            { x: 3, y: 4 },
          ],
        },
      ],
    },
    ['integer'],
    'dynamic_masks[0].trajectories[0].x',
  ],
  [
    'point outside the image',
    {
      image: IMG,
      dynamic_masks: [
        {
          mask: MASK,
          trajectories: [
            { x: 1, y: 2 },
            { x: 1281, y: 4 },
          ],
        },
      ],
    },
    ['trajectory_out_of_image'],
    'dynamic_masks[0].trajectories',
  ],
  [
    'negative point',
    {
      image: IMG,
      dynamic_masks: [
        {
          mask: MASK,
          trajectories: [
            { x: -1, y: 2 },
            { x: 3, y: 4 },
          ],
        },
      ],
    },
    ['trajectory_out_of_image'],
  ],
  [
    'mask of another aspect ratio',
    { image: IMG, static_mask: pngHeaderBase64(720, 720) },
    ['mask_aspect'],
    'static_mask',
  ],
  [
    'mask of the same aspect at another size',
    { image: IMG, static_mask: pngHeaderBase64(640, 360), ...brush() },
    ['mask_resolution'],
    'dynamic_masks[0].mask',
  ],
  ['static and dynamic masks of the same size', { image: IMG, static_mask: MASK, ...brush(2) }, []],
  // Encodings and image facts
  ['data: prefix', { image: `data:image/png;base64,${IMG}` }, ['data_prefix'], 'image'],
  ['broken base64', { image: 'not base64!!' }, ['base64_invalid'], 'image'],
  ['file:// URL', { image: 'file:///etc/passwd' }, ['base64_invalid'], 'image'],
  ['JPEG start frame', { image: jpegHeaderBase64(800, 600) }, []],
  ['not an image', { image: btoa('hello, world') }, ['image_format'], 'image'],
  ['an SVG', { image: btoa('<svg xmlns="http://www.w3.org/2000/svg"/>') }, ['image_format'], 'image'],
  ['299 px', { image: pngHeaderBase64(299, 400) }, ['image_too_small'], 'image'],
  ['300 px', { image: pngHeaderBase64(300, 400) }, []],
  ['1:2.6', { image: pngHeaderBase64(300, 780) }, ['image_aspect'], 'image'],
  ['2.6:1', { image: pngHeaderBase64(780, 300) }, ['image_aspect'], 'image'],
  ['2.5:1', { image: pngHeaderBase64(750, 300) }, []],
  [
    '10 MB + 1 byte',
    { image: pngHeaderBase64(1280, 720, LIMITS.imageMaxBytes + 1) },
    ['image_too_large'],
    'image',
  ],
  ['decompression bomb', { image: pngHeaderBase64(60000, 60000) }, ['image_too_big'], 'image'],
  [
    'small end frame',
    { image: IMG, image_tail: pngHeaderBase64(200, 200) },
    ['image_too_small'],
    'image_tail',
  ],
];

describe('validateRequest', () => {
  it.each(cases)('%s', (_name, input, rules, field) => {
    const { violations, request } = validateRequest(input);
    expect(violations.map((v) => v.rule).sort()).toEqual([...rules].sort());
    if (field) expect(violations[0]?.field).toBe(field);
    if (rules.length === 0) expect(request).toBeDefined();
    else expect(request).toBeUndefined();
    // Every message names its field, so UI and API errors read the same.
    for (const v of violations) expect(v.message.length).toBeGreaterThan(10);
  });

  it('reports structural and cross-field problems together', () => {
    const { violations } = validateRequest({
      prompt: 'a'.repeat(2600),
      image_tail: IMG,
      cfg_scale: 0.5,
      model_name: 'kling-v2-1',
    });
    expect(violations.map((v) => v.rule).sort()).toEqual([
      'cfg_scale_unsupported',
      'feature_unsupported', // an end frame on kling-v2-1 std
      'image_tail_needs_image',
      'max_length',
    ]);
  });

  it('ignores unknown keys as Kling does, and refuses them in strict mode (the studio API)', () => {
    expect(validateRequest({ image: IMG, aspect_ratio: '16:9' }).violations).toEqual([]);
    const strict = validateRequest({ image: IMG, aspect_ratio: '16:9' }, { strictKeys: true }).violations;
    expect(strict).toEqual([expect.objectContaining({ field: 'aspect_ratio', rule: 'unknown_field' })]);
  });

  it('uses facts given for URL images (the backend fetches them)', () => {
    const url = 'https://example.com/a.png';
    const facts = { image: { format: 'png' as const, bytes: 1000, width: 200, height: 200 } };
    expect(validateRequest({ image: url }, { facts }).violations.map((v) => v.rule)).toEqual([
      'image_too_small',
    ]);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'x', 3]) expect(validateRequest(body).violations[0]?.rule).toBe('type');
  });

  it('names the field and the actual value in image messages', () => {
    const [v] = validateRequest({ image: pngHeaderBase64(300, 840) }).violations;
    expect(v?.message).toBe(
      'Start frame (image): 1:2.8 is narrower than 1:2.5 (aspect ratio must be 1:2.5 to 2.5:1)',
    );
  });

  it('explains where an unsupported feature is available', () => {
    const [v] = validateRequest({ image: IMG, camera_control: simple({ zoom: 2 }) }).violations;
    expect(v?.message).toBe(
      'Camera (camera_control): camera control is not available on Kling 1.0 · Standard · 5 s; it is available on Kling 1.5 · Pro · 5 s',
    );
  });

  it('marks the mask rules Kling applies after accepting a task', () => {
    expect([...ASYNC_RULES].sort()).toEqual(['mask_aspect', 'mask_resolution']);
  });
});

/** [name, request, the exact violations] — text fields refuse what Kling would store differently or show reversed. */
const TEXT_CASES: [string, Record<string, unknown>, { field: string; rule: string; message: string }[]][] = [
  ['newline and tab in a prompt', { image: IMG, prompt: 'line one\n\tline two' }, []],
  ['emoji and accents (surrogate pairs)', { image: IMG, prompt: 'café 🎬 \ud83c\udfac' }, []],
  [
    'NUL in the prompt',
    { image: IMG, prompt: 'a\u0000b' },
    [
      {
        field: 'prompt',
        rule: 'control_character',
        message: 'Prompt: contains a control character (U+0000) at position 2',
      },
    ],
  ],
  [
    'carriage return in the negative prompt',
    { image: IMG, negative_prompt: 'ok\rno' },
    [
      {
        field: 'negative_prompt',
        rule: 'control_character',
        message: 'Negative prompt: contains a control character (U+000D) at position 3',
      },
    ],
  ],
  [
    'NUL and a right-to-left override in one prompt',
    { image: IMG, prompt: 'a\u0000b\u202Eevil' },
    [
      {
        field: 'prompt',
        rule: 'control_character',
        message: 'Prompt: contains a control character (U+0000) at position 2',
      },
      {
        field: 'prompt',
        rule: 'bidi_control',
        message: 'Prompt: contains an invisible text-direction control (U+202E) at position 4',
      },
    ],
  ],
  [
    'a left-to-right isolate in the negative prompt',
    { image: IMG, negative_prompt: 'x\u2066y\u2069' },
    [
      {
        field: 'negative_prompt',
        rule: 'bidi_control',
        message: 'Negative prompt: contains an invisible text-direction control (U+2066) at position 2',
      },
    ],
  ],
  [
    'a lone surrogate after a whole pair',
    { image: IMG, prompt: '\ud800\udfff\ud800 x' },
    [
      {
        field: 'prompt',
        rule: 'lone_surrogate',
        message: 'Prompt: contains half of a character (lone surrogate U+D800) at position 3',
      },
    ],
  ],
  [
    'a lone low surrogate',
    { image: IMG, prompt: 'x\udc00' },
    [
      {
        field: 'prompt',
        rule: 'lone_surrogate',
        message: 'Prompt: contains half of a character (lone surrogate U+DC00) at position 2',
      },
    ],
  ],
  ['the studio’s own external id', { image: IMG, external_task_id: 'ms-3f2a9c1d-0b1e.v2:retry_1' }, []],
  [
    'CRLF in external_task_id',
    { image: IMG, external_task_id: 'x\r\nX-Injected: 1' },
    [
      {
        field: 'external_task_id',
        rule: 'format',
        message:
          'external_task_id: may contain only letters, digits, ".", "_", ":" and "-" (found U+000D at position 2)',
      },
    ],
  ],
  [
    'a space in external_task_id',
    { image: IMG, external_task_id: 'my task' },
    [
      {
        field: 'external_task_id',
        rule: 'format',
        message:
          'external_task_id: may contain only letters, digits, ".", "_", ":" and "-" (found U+0020 at position 3)',
      },
    ],
  ],
];

describe('text fields', () => {
  it.each(TEXT_CASES)('%s', (_name, input, expected) => {
    const { violations, request } = validateRequest(input, { strictKeys: true });
    expect(violations).toEqual(expected);
    if (expected.length) expect(request).toBeUndefined();
    else expect(request).toBeDefined();
  });
});

describe('formatAspect', () => {
  it.each([
    [1280, 720, '1.78:1'],
    [300, 840, '1:2.8'],
    [500, 500, '1:1'],
  ])('%i×%i → %s', (w, h, text) => expect(formatAspect(w, h)).toBe(text));
});
