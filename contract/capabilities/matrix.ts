/**
 * Kling image-to-video capability map, as data.
 *
 * Source: Kling's official capability map (shared/reference/kling-api.md §5.3, tags D-cap, D-new, D-cn).
 * Where the product owner's seed disagrees we follow the map, deliberately:
 * - The seed says motion brush is "only kling-v1 std/pro 5s" in one place and lists kling-v1-5 pro 5s in
 *   another; the map lists kling-v1 std 5s, kling-v1 pro 5s and kling-v1-5 pro 5s. We allow all three.
 * - The seed lists camera control only for kling-v1-5 pro 5s (simple); the map agrees. kling-v1's camera
 *   control exists for text-to-video only, so it is off here.
 * - kling-v2-master and kling-v2-1-master take no `mode` (update log 05/13/2025).
 * - kling-v2-6: audio only in pro; start+end frames in pro without audio; voice control in pro.
 *
 * Adding a model (kling-v3, say) is a change to MODELS below and nothing else.
 */

export const MODES = ['std', 'pro'] as const;
export type Mode = (typeof MODES)[number];
export const DURATIONS = ['5', '10'] as const;
export type Duration = (typeof DURATIONS)[number];
export const CAMERA_TYPES = [
  'simple',
  'down_back',
  'forward_up',
  'right_turn_forward',
  'left_turn_forward',
] as const;
export type CameraType = (typeof CAMERA_TYPES)[number];

/** What one model allows at one mode and duration. */
export interface Variant {
  /** Start + end frame (`image_tail`). */
  endFrame: boolean;
  /** `static_mask` / `dynamic_masks`. */
  motionBrush: boolean;
  /** Allowed `camera_control.type` values; empty means no camera control. */
  camera: readonly CameraType[];
  /** `sound: "on"` (generated audio). Never together with an end frame: Kling renders those silent. */
  sound: boolean;
  /** `voice_list` (implies sound). */
  voice: boolean;
}

export interface ModelCapabilities {
  label: string;
  /** Modes the model accepts; empty for models that take no `mode` parameter at all. */
  modes: readonly Mode[];
  durations: readonly Duration[];
  /** Output frame rate (capability map: v1 family 30 fps, v2 family 24 fps). */
  fps: number;
  /** `cfg_scale` is documented as unsupported for every kling-v2.x model. */
  cfgScale: boolean;
  /** Keyed by `${mode}:${duration}`, or `-:${duration}` for models without modes. Missing = generation only. */
  variants: Readonly<Record<string, Partial<Variant>>>;
  /** Typical seconds from submit to result on Kling, for an honest progress indicator. */
  typicalSeconds: number;
}

const frames: Partial<Variant> = { endFrame: true };

export const MODELS = {
  'kling-v1': {
    label: 'Kling 1.0',
    modes: MODES,
    durations: DURATIONS,
    fps: 30,
    cfgScale: true,
    typicalSeconds: 180,
    variants: {
      'std:5': { endFrame: true, motionBrush: true },
      'pro:5': { endFrame: true, motionBrush: true },
    },
  },
  'kling-v1-5': {
    label: 'Kling 1.5',
    modes: MODES,
    durations: DURATIONS,
    fps: 30,
    cfgScale: true,
    typicalSeconds: 200,
    variants: {
      'pro:5': { endFrame: true, motionBrush: true, camera: ['simple'] },
      'pro:10': frames,
    },
  },
  'kling-v1-6': {
    label: 'Kling 1.6',
    modes: MODES,
    durations: DURATIONS,
    fps: 30,
    cfgScale: true,
    typicalSeconds: 200,
    variants: { 'pro:5': frames, 'pro:10': frames },
  },
  'kling-v2-master': {
    label: 'Kling 2.0 Master',
    modes: [],
    durations: DURATIONS,
    fps: 24,
    cfgScale: false,
    typicalSeconds: 300,
    variants: {},
  },
  'kling-v2-1': {
    label: 'Kling 2.1',
    modes: MODES,
    durations: DURATIONS,
    fps: 24,
    cfgScale: false,
    typicalSeconds: 240,
    variants: { 'pro:5': frames, 'pro:10': frames },
  },
  'kling-v2-1-master': {
    label: 'Kling 2.1 Master',
    modes: [],
    durations: DURATIONS,
    fps: 24,
    cfgScale: false,
    typicalSeconds: 300,
    variants: {},
  },
  'kling-v2-5-turbo': {
    label: 'Kling 2.5 Turbo',
    modes: MODES,
    durations: DURATIONS,
    fps: 24,
    cfgScale: false,
    typicalSeconds: 150,
    variants: { 'pro:5': frames, 'pro:10': frames },
  },
  'kling-v2-6': {
    label: 'Kling 2.6',
    modes: MODES,
    durations: DURATIONS,
    fps: 24,
    cfgScale: false,
    typicalSeconds: 230,
    variants: {
      'pro:5': { endFrame: true, sound: true, voice: true },
      'pro:10': { endFrame: true, sound: true, voice: true },
    },
  },
  // On image2video since 2026-02-25 (kling-2026.md §1). Its 3–15 s durations, 4k mode and multi-shot
  // storyboard are not modelled yet; start & end frames are on the capability map for every variant.
  'kling-v3': {
    label: 'Kling 3.0',
    modes: MODES,
    durations: DURATIONS,
    fps: 24,
    cfgScale: false,
    typicalSeconds: 260,
    variants: { 'std:5': frames, 'std:10': frames, 'pro:5': frames, 'pro:10': frames },
  },
} as const satisfies Record<string, ModelCapabilities>;

export type ModelName = keyof typeof MODELS;
export const MODEL_NAMES = Object.keys(MODELS) as [ModelName, ...ModelName[]];
export const DEFAULT_MODEL: ModelName = 'kling-v1';
export const DEFAULT_MODE: Mode = 'std';
export const DEFAULT_DURATION: Duration = '5';

export function isModelName(name: string): name is ModelName {
  return Object.hasOwn(MODELS, name);
}

export function modelCapabilities(model: ModelName): ModelCapabilities {
  return MODELS[model];
}

/** The mode a request effectively runs in: undefined for models without modes. */
export function effectiveMode(model: ModelName, mode: Mode | undefined): Mode | undefined {
  return MODELS[model].modes.length === 0 ? undefined : (mode ?? DEFAULT_MODE);
}

/** Everything allowed for a model at a mode and duration (mode is ignored for models without modes). */
export function variantOf(model: ModelName, mode: Mode | undefined, duration: Duration): Variant {
  const caps: ModelCapabilities = MODELS[model];
  const key = `${effectiveMode(model, mode) ?? '-'}:${duration}`;
  const v = caps.variants[key] ?? {};
  return {
    endFrame: v.endFrame ?? false,
    motionBrush: v.motionBrush ?? false,
    camera: v.camera ?? [],
    sound: v.sound ?? false,
    voice: v.voice ?? false,
  };
}

export type Feature = 'endFrame' | 'motionBrush' | 'camera' | 'sound' | 'voice';

export const FEATURE_LABELS: Record<Feature, string> = {
  endFrame: 'start & end frames',
  motionBrush: 'motion brush',
  camera: 'camera control',
  sound: 'sound',
  voice: 'voices',
};

function hasFeature(v: Variant, feature: Feature): boolean {
  return feature === 'camera' ? v.camera.length > 0 : v[feature];
}

export interface Setup {
  model: ModelName;
  mode: Mode | undefined;
  duration: Duration;
}

/** Every model/mode/duration combination that supports a feature, for "which models support this?". */
export function setupsSupporting(feature: Feature): Setup[] {
  const out: Setup[] = [];
  for (const model of MODEL_NAMES) {
    const caps: ModelCapabilities = MODELS[model];
    const modes: (Mode | undefined)[] = caps.modes.length ? [...caps.modes] : [undefined];
    for (const mode of modes)
      for (const duration of caps.durations)
        if (hasFeature(variantOf(model, mode, duration), feature)) out.push({ model, mode, duration });
  }
  return out;
}

export function supports(setup: Setup, feature: Feature): boolean {
  return hasFeature(variantOf(setup.model, setup.mode, setup.duration), feature);
}

export function describeSetup(s: Setup): string {
  return [s.model, s.mode, `${s.duration}s`].filter(Boolean).join(' ');
}

/**
 * Units Kling deducts per task (its published price list, where known). Masters ignore mode.
 * Used for the composer's cost summary and by the simulator's `final_unit_deduction`.
 */
export function unitsFor(model: ModelName, mode: Mode | undefined, duration: Duration): number {
  const long = duration === '10' ? 2 : 1;
  if (MODELS[model].modes.length === 0) return 10 * long;
  return (effectiveMode(model, mode) === 'pro' ? 3.5 : 1) * long;
}
