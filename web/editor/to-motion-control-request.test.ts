import { describe, expect, it } from 'vitest';
import { validateMotionControl } from '../../contract/rules/validate-motion-control.ts';
import type { Upload } from '../../contract/schemas/studio-api.ts';
import { draftWith, pngFrame } from '../testing/draft.ts';
import { checkDraft } from './check-draft.ts';
import { defaultReference, ZERO_CAMERA } from './default-draft.ts';
import { createDraftStorage, memoryKeyValue } from './draft-storage.ts';
import type { ReferenceClip } from './draft-types.ts';
import { draftFromMotionControl } from './load-draft.ts';
import { restoreDraft } from './restore-draft.ts';
import { motionControlFacts, toMotionControlRequest } from './to-motion-control-request.ts';

const start = pngFrame(1280, 720, 'hero.png');
const end = pngFrame(1280, 720, 'end.png');
const upload: Upload = {
  id: 'up-00000001',
  ref: 'upload:up-00000001',
  format: 'mp4',
  bytes: 250_000,
  width: 480,
  height: 360,
  durationMs: 4000,
};
const clip: ReferenceClip = { upload, name: 'dance.mp4', hasAudio: true };

/** A draft with work on every tab, on the Reference video tab. */
const busy = () =>
  draftWith({
    frames: { start, end },
    model: 'kling-v1-5',
    mode: 'pro',
    duration: '10',
    prompt: 'a dancer on a beach',
    negativePrompt: 'blur',
    cfgScale: 0.7,
    sound: 'on',
    voices: ['v1'],
    camera: { type: 'simple', config: { ...ZERO_CAMERA, pan: 5 } },
    reference: { ...defaultReference(), clip, orientation: 'video', keepSound: 'no', model: 'kling-v3' },
    motionTab: 'reference',
  });

describe('toMotionControlRequest', () => {
  it('sends the picture, the upload ref and the tab settings, nothing of the image-to-video tabs', () => {
    const req = toMotionControlRequest(busy(), 'ms-1');
    expect(req).toEqual({
      model_name: 'kling-v3',
      mode: 'std',
      image_url: start.base64,
      video_url: 'upload:up-00000001',
      character_orientation: 'video',
      keep_original_sound: 'no',
      prompt: 'a dancer on a beach',
      external_task_id: 'ms-1',
    });
    const { violations } = validateMotionControl(req, {
      strictKeys: true,
      audience: 'studio',
      facts: motionControlFacts(busy()),
    });
    expect(violations).toEqual([]);
  });

  it("leaves a blank prompt out, and keeps Kling's defaults visible (kling-v2-6, sound kept)", () => {
    const req = toMotionControlRequest(
      draftWith({ frames: { start, end: null }, prompt: '  ', reference: { ...defaultReference(), clip } }),
    );
    expect(req).not.toHaveProperty('prompt');
    expect(req).toMatchObject({
      model_name: 'kling-v2-6',
      keep_original_sound: 'yes',
      character_orientation: 'image',
    });
  });
});

describe('checkDraft on the Reference video tab', () => {
  it('names the missing picture and clip in the contract words', () => {
    const check = checkDraft(draftWith({ motionTab: 'reference' }));
    expect(check.kind).toBe('motion-control');
    expect(check.violations.map((v) => v.message)).toEqual([
      'Character picture (image_url): is required',
      'Reference video (video_url): a reference video is required',
    ]);
  });

  it('lets the tab speak for a clip still uploading instead of "required"', () => {
    const uploading = {
      field: 'video_url',
      rule: 'video_uploading',
      message: 'Reference video (video_url): still uploading (40 %)',
    };
    const d = draftWith({ frames: { start, end: null }, motionTab: 'reference' });
    expect(checkDraft(d, [], [uploading]).violations).toEqual([uploading]);
  });

  it('judges the clip length by the orientation', () => {
    const long = { ...clip, upload: { ...upload, durationMs: 11_000 } };
    const d = (orientation: 'image' | 'video') =>
      draftWith({
        frames: { start, end: null },
        motionTab: 'reference',
        reference: { ...defaultReference(), clip: long, orientation },
      });
    expect(checkDraft(d('image')).violations.map((v) => v.rule)).toEqual(['video_too_long']);
    expect(checkDraft(d('video')).violations).toEqual([]);
  });

  it('agrees with a full validation of the real base64', () => {
    const d = busy();
    const full = validateMotionControl(toMotionControlRequest(d), {
      strictKeys: true,
      audience: 'studio',
      facts: { video_url: motionControlFacts(d).video_url },
    }).violations;
    expect(checkDraft(d).violations).toEqual(full);
  });
});

describe('the reference in the stored draft', () => {
  it('survives a reload: ref, facts, orientation and sound', async () => {
    const kv = memoryKeyValue();
    const draft = busy();
    await createDraftStorage(kv).setItem('draft', { state: draft, version: 1 });
    const restored = await createDraftStorage(kv).getItem('draft');
    expect(restored?.state.reference).toEqual(draft.reference);
    expect(restored?.state.motionTab).toBe('reference');
  });

  it('repairs a damaged reference field by field', () => {
    const d = restoreDraft({
      reference: {
        model: 'kling-v9',
        mode: '4k',
        orientation: 'sideways',
        keepSound: true,
        clip: { upload: { id: 1 } },
      },
    });
    expect(d.reference).toEqual(defaultReference());
  });
});

describe('draftFromMotionControl (remix)', () => {
  it('puts the picture, settings and prompt back on the Reference video tab, without the old clip', () => {
    const d = draftFromMotionControl({
      model_name: 'kling-v3',
      mode: 'pro',
      image_url: start.base64,
      video_url: 'upload:up-00000001',
      character_orientation: 'video',
      keep_original_sound: 'no',
      prompt: 'p',
    });
    expect(d.motionTab).toBe('reference');
    expect(d.frames.start).toMatchObject({ source: 'file', base64: start.base64, facts: start.facts });
    expect(d.reference).toEqual({
      model: 'kling-v3',
      mode: 'pro',
      orientation: 'video',
      keepSound: 'no',
      clip: null,
    });
    expect(d.prompt).toBe('p');
  });
});
