import { describe, expect, it } from 'vitest';
import { validateRequest } from '../../contract/rules/validate-request.ts';
import { draftWith, pngFrame } from '../testing/draft.ts';
import { checkDraft } from './check-draft.ts';
import { ZERO_CAMERA } from './default-draft.ts';
import { draftFromRequest } from './load-draft.ts';
import { draftFacts, toCreateRequest } from './to-create-request.ts';

const start = pngFrame(1280, 720, 'start.png');
const end = pngFrame(1280, 720, 'end.png');

describe('toCreateRequest', () => {
  it('the default draft with a start frame is a minimal, valid request on the studio default (kling-v2-6)', () => {
    const req = toCreateRequest(draftWith({ frames: { start, end: null } }));
    expect(req).toEqual({ model_name: 'kling-v2-6', mode: 'std', duration: '5', image: start.base64 });
    expect(validateRequest(req, { strictKeys: true }).violations).toEqual([]);
  });

  it('sends only the active motion tab', () => {
    const camera = { type: 'simple' as const, config: { ...ZERO_CAMERA, pan: 5 } };
    const base = draftWith({ model: 'kling-v1-5', mode: 'pro', frames: { start, end }, camera });
    const asCamera = toCreateRequest({ ...base, motionTab: 'camera' });
    expect(asCamera.camera_control).toEqual({ type: 'simple', config: { ...ZERO_CAMERA, pan: 5 } });
    expect(asCamera.image_tail).toBeUndefined();
    const asFrames = toCreateRequest({ ...base, motionTab: 'frames' });
    expect(asFrames.image_tail).toBe(end.base64);
    expect(asFrames.camera_control).toBeUndefined();
    const asBrush = toCreateRequest({ ...base, motionTab: 'brush' }, { static_mask: 'abcd' });
    expect(asBrush).toMatchObject({ static_mask: 'abcd' });
    expect(asBrush.image_tail ?? asBrush.camera_control).toBeUndefined();
  });

  it('sends preset camera moves without a config', () => {
    const req = toCreateRequest(
      draftWith({ motionTab: 'camera', camera: { type: 'down_back', config: ZERO_CAMERA } }),
    );
    expect(req.camera_control).toEqual({ type: 'down_back' });
  });

  it('leaves out what the model takes no part in: mode for masters, cfg_scale on 2.x', () => {
    const req = toCreateRequest(draftWith({ model: 'kling-v2-master', prompt: 'hi' }));
    expect(req).toEqual({ model_name: 'kling-v2-master', duration: '5', prompt: 'hi' });
  });

  it('sends sound and voices on kling-v2-6 pro', () => {
    const req = toCreateRequest(
      draftWith({
        model: 'kling-v2-6',
        mode: 'pro',
        sound: 'on',
        voices: [' v1 '],
        prompt: 'A <<<voice_1>>> says hi',
      }),
    );
    expect(req).toMatchObject({ sound: 'on', voice_list: [{ voice_id: 'v1' }] });
    expect(toCreateRequest(draftWith({ model: 'kling-v2-6', mode: 'pro' })).sound).toBe('off');
    expect(toCreateRequest(draftWith()).sound).toBeUndefined();
  });

  it('omits blank prompts', () => {
    expect(toCreateRequest(draftWith({ prompt: '   ', negativePrompt: '' }))).not.toHaveProperty('prompt');
  });

  it('hands the browser-known facts to the contract', () => {
    expect(draftFacts(draftWith({ frames: { start, end } }))).toEqual({
      image: start.facts,
      image_tail: end.facts,
    });
    expect(draftFacts(draftWith({ frames: { start, end }, motionTab: 'camera' })).image_tail).toBeUndefined();
  });
});

describe('checkDraft', () => {
  it('names every reason, in the contract words', () => {
    const { violations } = checkDraft(draftWith({ motionTab: 'camera' }));
    expect(violations.map((v) => v.rule).sort()).toEqual([
      'camera_one_axis',
      'feature_unsupported',
      'image_required',
    ]);
  });

  it('flags the motion brush on a model without it even before masks exist', () => {
    const { violations } = checkDraft(
      draftWith({ model: 'kling-v2-1', mode: 'pro', motionTab: 'brush', frames: { start, end: null } }),
    );
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ field: 'static_mask', rule: 'feature_unsupported' });
  });

  it('adds the brush violations only on the brush tab', () => {
    const extra = [{ field: 'dynamic_masks', rule: 'x', message: 'paint something' }];
    expect(
      checkDraft(draftWith({ model: 'kling-v1', frames: { start, end: null }, motionTab: 'brush' }), extra)
        .violations,
    ).toEqual(extra);
    expect(checkDraft(draftWith({ frames: { start, end: null } }), extra).violations).toEqual([]);
  });

  it('agrees with a full validation of the real bytes', () => {
    const d = draftWith({ model: 'kling-v2-6', mode: 'pro', frames: { start, end }, sound: 'on' });
    const full = validateRequest(toCreateRequest(d), { strictKeys: true }).violations;
    expect(checkDraft(d).violations).toEqual(full);
    expect(full.map((v) => v.rule)).toEqual(['sound_with_end_frame']);
  });
});

describe('draftFromRequest (remix)', () => {
  it('round-trips a camera request', () => {
    const d = draftWith({
      model: 'kling-v1-5',
      mode: 'pro',
      frames: { start, end: null },
      prompt: 'pan',
      motionTab: 'camera',
      camera: { type: 'simple', config: { ...ZERO_CAMERA, zoom: -3 } },
    });
    const req = toCreateRequest(d);
    const back = draftFromRequest(req);
    expect(toCreateRequest(back)).toEqual(req);
    expect(back.frames.start).toMatchObject({ source: 'file', facts: start.facts });
  });

  it('keeps URL frames as URLs and picks the tab from what was sent', () => {
    const back = draftFromRequest({
      image: 'https://example.com/a.png',
      image_tail: 'https://example.com/b.png',
    });
    expect(back.frames.start).toMatchObject({ source: 'url', url: 'https://example.com/a.png', facts: null });
    expect(back.motionTab).toBe('frames');
    expect(draftFromRequest({ image: start.base64, static_mask: 'x' }).motionTab).toBe('brush');
  });
});
