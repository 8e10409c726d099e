import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../images/base64.ts';
import type { ImageFacts } from '../images/sniff.ts';
import { uploadRef } from '../schemas/motion-control-request.ts';
import { pngHeader, pngHeaderBase64, pngImage } from '../testing/test-images.ts';
import type { VideoFacts } from '../video/container-header.ts';
import { fieldLabel } from './field-labels.ts';
import { type MotionControlValidateOptions, validateMotionControl } from './validate-motion-control.ts';

const PICTURE = pngHeaderBase64(1024, 1024);
const VIDEO = 'https://cdn.example.com/dance.mp4';
const base = { image_url: PICTURE, video_url: VIDEO, character_orientation: 'video', mode: 'std' } as const;
const clip = (f: Partial<VideoFacts> = {}): VideoFacts => ({
  format: 'mp4',
  bytes: 4_000_000,
  width: 1280,
  height: 720,
  durationMs: 6000,
  hasAudio: true,
  ...f,
});
const UPLOAD = uploadRef('0f8e2b6c-1d2a-4c3b-9e8f-7a6b5c4d3e2f');

const check = (input: unknown, opts?: MotionControlValidateOptions) => validateMotionControl(input, opts);
const rules = (input: unknown, opts?: MotionControlValidateOptions) =>
  check(input, opts).violations.map((v) => `${v.field}:${v.rule}`);
const only = (input: unknown, opts?: MotionControlValidateOptions) => {
  const { violations } = check(input, opts);
  expect(violations).toHaveLength(1);
  return violations[0]!;
};

/** Every violation has the three parts, and its message starts with the field's label. */
function expectWellFormed(input: unknown, opts?: MotionControlValidateOptions) {
  const { violations } = check(input, opts);
  for (const v of violations) {
    expect(Object.keys(v).sort()).toEqual(['field', 'message', 'rule']);
    expect(v.message.startsWith(`${fieldLabel(v.field)}: `), v.message).toBe(true);
  }
  return violations;
}

describe('validateMotionControl: valid requests', () => {
  it('the four required fields are enough; the request comes back as given', () => {
    expect(check(base)).toEqual({ request: base, violations: [] });
  });

  it('every optional field, on kling-v3 with one element', () => {
    const full = {
      ...base,
      model_name: 'kling-v3',
      mode: 'pro',
      keep_original_sound: 'no',
      prompt: 'a dancer on a beach at sunset',
      element_list: [{ element_id: 'el_123' }],
      watermark_info: { enabled: false },
      callback_url: 'https://studio.example.com/hook',
      external_task_id: 'job-42',
    } as const;
    expect(check(full, { strictKeys: true, audience: 'studio' })).toEqual({ request: full, violations: [] });
  });

  it('Kling ignores keys it does not define; the request drops them', () => {
    expect(check({ ...base, duration: '5' })).toEqual({ request: base, violations: [] });
  });

  it('known facts inside every limit pass', () => {
    const facts = {
      video_url: clip(),
      image_url: { format: 'png', bytes: 9, width: 800, height: 1200 } as const,
    };
    expect(check({ ...base, image_url: 'https://cdn.example.com/me.png' }, { facts }).violations).toEqual([]);
  });
});

describe('validateMotionControl: structure', () => {
  it.each([[null], [[]], ['text'], [42]])('a body that is not a JSON object (%j)', (body) => {
    expect(check(body)).toEqual({
      request: undefined,
      violations: [{ field: '', rule: 'type', message: 'The request body must be a JSON object' }],
    });
  });

  it('every required field missing, each named', () => {
    const violations = expectWellFormed({});
    expect(violations.map((v) => `${v.field}:${v.rule}`)).toEqual([
      'image_url:required',
      'video_url:required',
      'character_orientation:required',
      'mode:required',
    ]);
    expect(violations[1]!.message).toBe('Reference video (video_url): is required');
  });

  it('enums: model, orientation, mode (no 4k on motion control), sound', () => {
    const violations = expectWellFormed({
      ...base,
      model_name: 'kling-v1',
      character_orientation: 'sideways',
      mode: '4k',
      keep_original_sound: 'maybe',
    });
    expect(violations.map((v) => `${v.field}:${v.rule}`)).toEqual([
      'model_name:enum',
      'character_orientation:enum',
      'mode:enum',
      'keep_original_sound:enum',
    ]);
    expect(violations[0]!.message).toBe('Model: must be one of "kling-v2-6", "kling-v3" (got "kling-v1")');
    expect(violations[1]!.message).toMatch(
      /^Character orientation \(character_orientation\): must be one of "image", "video"/,
    );
  });

  it('strictKeys refuses a key Kling does not define, by name', () => {
    const v = only({ ...base, duration: '5' }, { strictKeys: true });
    expect(v).toEqual({
      field: 'duration',
      rule: 'unknown_field',
      message: 'Duration: is not a field of this request',
    });
    expect(check({ ...base, duration: '5' }, { strictKeys: true }).request).toBeUndefined();
  });

  it('prompt: length and characters', () => {
    expect(only({ ...base, prompt: 'x'.repeat(2501) })).toMatchObject({
      field: 'prompt',
      rule: 'max_length',
    });
    expect(rules({ ...base, prompt: 'x'.repeat(2500) })).toEqual([]);
    expect(only({ ...base, prompt: 'a\u0007b' })).toMatchObject({
      field: 'prompt',
      rule: 'control_character',
    });
  });

  it('callback_url, external_task_id, element ids', () => {
    expect(rules({ ...base, callback_url: 'ftp://x.example.com' })).toEqual(['callback_url:format']);
    expect(rules({ ...base, external_task_id: 'has space' })).toEqual(['external_task_id:format']);
    expect(rules({ ...base, model_name: 'kling-v3', element_list: [{ element_id: '' }] })).toEqual([
      'element_list[0].element_id:required',
    ]);
  });
});

describe('validateMotionControl: elements (kling-v3 only, orientation "video" only, at most 1)', () => {
  const one = [{ element_id: 'el_1' }];
  const two = [{ element_id: 'el_1' }, { element_id: 'el_2' }];

  it('refused on kling-v2-6 (the default), naming where they work', () => {
    for (const model of [{}, { model_name: 'kling-v2-6' }]) {
      const v = only({ ...base, ...model, element_list: one });
      expect(v.field).toBe('element_list');
      expect(v.rule).toBe('feature_unsupported');
      expect(v.message).toBe(
        'Elements (element_list): elements are not available on Kling 2.6 motion control; they are available on Kling 3.0 with "Match the video"',
      );
    }
  });

  it('on kling-v3: one with orientation video passes; orientation image is refused; two are too many', () => {
    const v3 = { ...base, model_name: 'kling-v3' } as const;
    expect(rules({ ...v3, element_list: one })).toEqual([]);
    expect(rules({ ...v3, element_list: [] })).toEqual([]);
    const image = only({ ...v3, character_orientation: 'image', element_list: one });
    expect(image).toMatchObject({ field: 'element_list', rule: 'element_needs_video_orientation' });
    expect(image.message).toMatch(/^Elements \(element_list\): elements work only .*"Match the video"/);
    const many = only({ ...v3, element_list: two });
    expect(many).toEqual({
      field: 'element_list',
      rule: 'element_list_too_many',
      message: 'Elements (element_list): 2 elements given; at most 1 is allowed',
    });
    expect(rules({ ...v3, character_orientation: 'image', element_list: two })).toEqual([
      'element_list:element_needs_video_orientation',
      'element_list:element_list_too_many',
    ]);
  });

  it('with a model name that is itself wrong, the elements are not judged against the default model', () => {
    expect(rules({ ...base, model_name: 'kling-v9', element_list: one })).toEqual(['model_name:enum']);
  });
});

describe('validateMotionControl: the reference video', () => {
  it('length depends on the orientation: 11 s follows the video, but not the picture', () => {
    const facts = { video_url: clip({ durationMs: 11_000 }) };
    expect(rules(base, { facts })).toEqual([]);
    const v = only({ ...base, character_orientation: 'image' }, { facts });
    expect(v.field).toBe('video_url');
    expect(v.rule).toBe('video_too_long');
    expect(v.message).toMatch(/^Reference video \(video_url\): 11 s is longer than 10 s/);
    expect(v.message).toContain('"Match the picture"');
    expect(rules(base, { facts: { video_url: clip({ durationMs: 31_000 }) } })).toEqual([
      'video_url:video_too_long',
    ]);
  });

  it("every fact rule of the video applies, with the file's real kind from its head", () => {
    const png = pngHeader(640, 480);
    const v = only(base, {
      facts: { video_url: clip({ format: 'unknown', width: 0, durationMs: 0 }), videoHead: png },
    });
    expect(v).toEqual({
      field: 'video_url',
      rule: 'video_format',
      message: 'Reference video (video_url): must be an MP4 or MOV video, but this is a PNG image',
    });
    expect(
      rules(base, { facts: { video_url: clip({ width: 320, height: 240, durationMs: 2000 }) } }),
    ).toEqual(['video_url:video_too_small', 'video_url:video_too_short']);
  });

  it('an empty video_url is "required"', () => {
    expect(only({ ...base, video_url: '' })).toEqual({
      field: 'video_url',
      rule: 'video_required',
      message: 'Reference video (video_url): a reference video is required',
    });
  });

  describe('studio audience: https URLs or uploads', () => {
    const studio = { audience: 'studio' } as const;
    it('an upload ref is accepted, and judged by its facts', () => {
      expect(check({ ...base, video_url: UPLOAD }, studio)).toEqual({
        request: { ...base, video_url: UPLOAD },
        violations: [],
      });
      const facts = { video_url: clip({ durationMs: 12_000 }) };
      expect(
        rules({ ...base, video_url: UPLOAD, character_orientation: 'image' }, { ...studio, facts }),
      ).toEqual(['video_url:video_too_long']);
    });

    it('plain http is refused (video_url_https), and its facts are not judged on top', () => {
      const v = only(
        { ...base, video_url: 'http://cdn.example.com/dance.mp4' },
        { ...studio, facts: { video_url: clip({ durationMs: 1000 }) } },
      );
      expect(v).toEqual({
        field: 'video_url',
        rule: 'video_url_https',
        message:
          'Reference video (video_url): must be an https:// URL or an uploaded video (plain http is refused)',
      });
    });

    it('base64 video (raw or with a data: prefix) is refused: Kling takes none', () => {
      const mp4 = encodeBase64(new Uint8Array([0, 0, 0, 24, 102, 116, 121, 112, 105, 115, 111, 109]));
      for (const video_url of [mp4, `data:video/mp4;base64,${mp4}`]) {
        const v = only({ ...base, video_url }, studio);
        expect(v.rule).toBe('video_url_not_url');
        expect(v.message).toBe(
          'Reference video (video_url): must be the URL of an MP4 or MOV file; Kling takes no base64 video',
        );
      }
    });

    it('another scheme, or an upload ref with a malformed id', () => {
      for (const video_url of ['ftp://cdn.example.com/a.mp4', 'upload:short', 'upload:has space in it']) {
        const v = only({ ...base, video_url }, studio);
        expect(v.rule, video_url).toBe('video_url_not_url');
        expect(v.message).toBe('Reference video (video_url): must be an https:// URL or an uploaded video');
      }
    });
  });

  describe('kling audience (the default): any http(s) URL, no uploads', () => {
    it('http and https are both accepted', () => {
      for (const audience of ['kling', undefined] as const) {
        expect(rules({ ...base, video_url: 'http://cdn.example.com/a.mov' }, { audience })).toEqual([]);
        expect(rules(base, { audience })).toEqual([]);
      }
    });

    it('an upload ref means nothing to Kling', () => {
      for (const audience of ['kling', undefined] as const) {
        const v = only({ ...base, video_url: UPLOAD }, { audience });
        expect(v).toEqual({
          field: 'video_url',
          rule: 'video_url_not_url',
          message: 'Reference video (video_url): must be an http(s) URL of an MP4 or MOV file',
        });
      }
    });
  });
});

describe('validateMotionControl: the character picture reuses the image rules', () => {
  it('a data: prefix, bad base64, an empty string', () => {
    expect(only({ ...base, image_url: `data:image/png;base64,${PICTURE}` })).toEqual({
      field: 'image_url',
      rule: 'data_prefix',
      message:
        'Character picture (image_url): base64 must not start with a "data:" prefix; send the raw base64 only',
    });
    expect(only({ ...base, image_url: 'not base64!' })).toMatchObject({
      field: 'image_url',
      rule: 'base64_invalid',
    });
    expect(only({ ...base, image_url: '' })).toMatchObject({ field: 'image_url', rule: 'image_empty' });
  });

  it('a real PNG that is too small, read from its base64', () => {
    const v = only({ ...base, image_url: encodeBase64(pngImage(200, 150)) });
    expect(v).toEqual({
      field: 'image_url',
      rule: 'image_too_small',
      message: 'Character picture (image_url): 200×150 px is below the 300 px minimum for each side',
    });
  });

  it('a picture with a bad aspect ratio; a URL judged by the facts given for it', () => {
    expect(rules({ ...base, image_url: pngHeaderBase64(3000, 1000) })).toEqual(['image_url:image_aspect']);
    const gif: ImageFacts = { format: 'gif', bytes: 100, width: 500, height: 500 };
    const url = 'https://cdn.example.com/me.gif';
    expect(rules({ ...base, image_url: url }, { facts: { image_url: gif } })).toEqual([
      'image_url:image_format',
    ]);
    // Without facts a URL is not judged here: the backend reads it first.
    expect(rules({ ...base, image_url: url })).toEqual([]);
  });
});

describe('validateMotionControl: everything at once', () => {
  it('structural and cross-field problems together, each with field, rule and a labelled message', () => {
    const violations = expectWellFormed(
      {
        image_url: `data:image/png;base64,${PICTURE}`,
        video_url: 'http://cdn.example.com/a.mp4',
        character_orientation: 'image',
        mode: 'turbo',
        keep_original_sound: true,
        model_name: 'kling-v3',
        element_list: [{ element_id: 'a' }, { element_id: 'b' }],
        prompt: 'x\u0000',
        surprise: 1,
      },
      { strictKeys: true, audience: 'studio' },
    );
    expect(violations.map((v) => `${v.field}:${v.rule}`).sort()).toEqual(
      [
        'mode:enum',
        'keep_original_sound:enum',
        'surprise:unknown_field',
        'element_list:element_needs_video_orientation',
        'element_list:element_list_too_many',
        'image_url:data_prefix',
        'video_url:video_url_https',
        'prompt:control_character',
      ].sort(),
    );
  });

  it('the cross-field rules run on what the structure left valid, and never on a broken field', () => {
    const violations = expectWellFormed(
      { ...base, image_url: 42, character_orientation: 'image', mode: 'fast' },
      { facts: { video_url: clip({ durationMs: 12_000, width: 320 }) } },
    );
    expect(violations.map((v) => `${v.field}:${v.rule}`)).toEqual([
      'image_url:type',
      'mode:enum',
      'video_url:video_too_small',
      'video_url:video_too_long',
    ]);
    expect(check({ ...base, mode: 'fast' }).request).toBeUndefined();
  });

  it('every violation of a heavy mix is well formed', () => {
    expectWellFormed(
      { ...base, image_url: '', video_url: '', element_list: [{ element_id: 'x' }], prompt: '\u202e' },
      { facts: { video_url: clip({ bytes: 0 }) } },
    );
  });
});
