/**
 * Motion control (`POST /v1/videos/motion-control`, kling-2026.md §2) as data: which models take it, in
 * which modes, and what they allow. Its own table because it is its own endpoint with its own fields;
 * image2video's MODELS knows nothing of it.
 */
import { LIMITS } from '../limits.ts';

/** Motion control renders 720p (std) or 1080p (pro); there is no 4k for it. */
export const MOTION_CONTROL_MODES = ['std', 'pro'] as const;
export type MotionControlMode = (typeof MOTION_CONTROL_MODES)[number];

export const CHARACTER_ORIENTATIONS = ['image', 'video'] as const;
export type CharacterOrientation = (typeof CHARACTER_ORIENTATIONS)[number];

export interface MotionControlCapabilities {
  label: string;
  modes: readonly MotionControlMode[];
  /** `element_list` entries allowed, and only with orientation `video` (0: none). */
  elementsMax: number;
  /** Output frame rate. */
  fps: number;
  typicalSeconds: number;
}

export const MOTION_CONTROL_MODELS = {
  'kling-v2-6': { label: 'Kling 2.6', modes: ['std', 'pro'], elementsMax: 0, fps: 24, typicalSeconds: 240 },
  'kling-v3': {
    label: 'Kling 3.0',
    modes: ['std', 'pro'],
    elementsMax: LIMITS.motionControlElementsMax,
    fps: 24,
    typicalSeconds: 260,
  },
} as const satisfies Record<string, MotionControlCapabilities>;

export type MotionControlModel = keyof typeof MOTION_CONTROL_MODELS;
export const MOTION_CONTROL_MODEL_NAMES = Object.keys(MOTION_CONTROL_MODELS) as [
  MotionControlModel,
  ...MotionControlModel[],
];
/** Kling's default when `model_name` is left out. */
export const DEFAULT_MOTION_CONTROL_MODEL: MotionControlModel = 'kling-v2-6';
export const DEFAULT_KEEP_ORIGINAL_SOUND = 'yes';

export function isMotionControlModel(name: string): name is MotionControlModel {
  return Object.hasOwn(MOTION_CONTROL_MODELS, name);
}

/** The longest reference the orientation allows, in ms. */
export function maxReferenceMs(orientation: CharacterOrientation): number {
  return orientation === 'video' ? LIMITS.videoMaxMsOrientationVideo : LIMITS.videoMaxMsOrientationImage;
}
