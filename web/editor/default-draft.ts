import { DEFAULT_DURATION, DEFAULT_MODE, STUDIO_DEFAULT_MODEL } from '../../contract/capabilities/matrix.ts';
import {
  DEFAULT_KEEP_ORIGINAL_SOUND,
  DEFAULT_MOTION_CONTROL_MODEL,
} from '../../contract/capabilities/motion-control.ts';
import type { CameraConfig } from '../../contract/schemas/create-request.ts';
import type { Draft, ReferenceDraft } from './draft-types.ts';
import { defaultStoryboard } from './storyboard.ts';

export const ZERO_CAMERA: CameraConfig = { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 0 };

/** Kling's documented default for cfg_scale. */
export const DEFAULT_CFG_SCALE = 0.5;

/** Kling's defaults for motion control; the orientation keeps the picture's facing (the safer limit). */
export function defaultReference(): ReferenceDraft {
  return {
    model: DEFAULT_MOTION_CONTROL_MODEL,
    mode: 'std',
    orientation: 'image',
    keepSound: DEFAULT_KEEP_ORIGINAL_SOUND,
    clip: null,
  };
}

export function defaultDraft(): Draft {
  return {
    frames: { start: null, end: null },
    model: STUDIO_DEFAULT_MODEL,
    mode: DEFAULT_MODE,
    duration: DEFAULT_DURATION,
    prompt: '',
    negativePrompt: '',
    cfgScale: DEFAULT_CFG_SCALE,
    sound: 'off',
    voices: [],
    camera: { type: 'simple', config: { ...ZERO_CAMERA } },
    reference: defaultReference(),
    storyboard: defaultStoryboard(),
    motionTab: 'frames',
  };
}
