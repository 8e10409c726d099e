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
 * - kling-v3 (kling-2026.md §1): 3–15 s, std/pro/4k, multi-shot and elements in std and pro (the map does
 *   not list 4k for them: UNCERTAIN, so they are off in 4k), native audio, no brush, no camera, voices not
 *   listed (UNCERTAIN: off).
 * - Lifecycles: third parties announced the end of v1.5, v1.6, v2.1 and v2.1-master on 2026-09-15, while
 *   Kling's own log says the legacy API stays; kling-v1 rides with them. They are `legacy`, not `retired`:
 *   an operator retires a model with RETIRED_MODELS (see withRetiredModels).
 *
 * Adding a model is a change to MODELS below and nothing else.
 */

export const MODES = ['std', 'pro', '4k'] as const;
export type Mode = (typeof MODES)[number];
/** Every duration any model offers, in seconds, as Kling's strings. */
export const DURATIONS = ['3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15'] as const;
export type Duration = (typeof DURATIONS)[number];
const CLASSIC_DURATIONS = ['5', '10'] as const satisfies readonly Duration[];
const V3_DURATIONS = DURATIONS;

/** The picture's short side per mode (std 720p, pro 1080p, 4k 2160p); the long side follows the frame. */
export const SHORT_SIDE: Record<Mode, number> = { std: 720, pro: 1080, '4k': 2160 };

export const LIFECYCLE_STATUSES = ['active', 'legacy', 'retired'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];
export interface Lifecycle {
  status: LifecycleStatus;
  /** Why, in a line a creator reads next to the model. */
  note?: string;
  /** When the status began or was announced (ISO date). */
  date?: string;
}
const REPORTED_RETIRED: Lifecycle = {
  status: 'legacy',
  note: 'reported retired on 2026-09-15; may fail on your account',
  date: '2026-09-15',
};
const ACTIVE: Lifecycle = { status: 'active' };
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
  /** `multi_shot` storyboards (kling-v3). */
  multiShot: boolean;
  /** `element_list` (kling-v3). */
  elements: boolean;
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
  /**
   * Keyed by `${mode}:${duration}`, or `-:${duration}` for models without modes; `${mode}:*` covers every
   * duration of a mode. Missing = generation only.
   */
  variants: Readonly<Record<string, Partial<Variant>>>;
  /** Typical seconds from submit to result on Kling, for an honest progress indicator. */
  typicalSeconds: number;
  lifecycle: Lifecycle;
}

const frames: Partial<Variant> = { endFrame: true };

export const MODELS = {
  'kling-v1': {
    lifecycle: REPORTED_RETIRED,
    label: 'Kling 1.0',
    modes: ['std', 'pro'],
    durations: CLASSIC_DURATIONS,
    fps: 30,
    cfgScale: true,
    typicalSeconds: 180,
    variants: {
      'std:5': { endFrame: true, motionBrush: true },
      'pro:5': { endFrame: true, motionBrush: true },
    },
  },
  'kling-v1-5': {
    lifecycle: REPORTED_RETIRED,
    label: 'Kling 1.5',
    modes: ['std', 'pro'],
    durations: CLASSIC_DURATIONS,
    fps: 30,
    cfgScale: true,
    typicalSeconds: 200,
    variants: {
      'pro:5': { endFrame: true, motionBrush: true, camera: ['simple'] },
      'pro:10': frames,
    },
  },
  'kling-v1-6': {
    lifecycle: REPORTED_RETIRED,
    label: 'Kling 1.6',
    modes: ['std', 'pro'],
    durations: CLASSIC_DURATIONS,
    fps: 30,
    cfgScale: true,
    typicalSeconds: 200,
    variants: { 'pro:5': frames, 'pro:10': frames },
  },
  'kling-v2-master': {
    lifecycle: ACTIVE,
    label: 'Kling 2.0 Master',
    modes: [],
    durations: CLASSIC_DURATIONS,
    fps: 24,
    cfgScale: false,
    typicalSeconds: 300,
    variants: {},
  },
  'kling-v2-1': {
    lifecycle: REPORTED_RETIRED,
    label: 'Kling 2.1',
    modes: ['std', 'pro'],
    durations: CLASSIC_DURATIONS,
    fps: 24,
    cfgScale: false,
    typicalSeconds: 240,
    variants: { 'pro:5': frames, 'pro:10': frames },
  },
  'kling-v2-1-master': {
    lifecycle: REPORTED_RETIRED,
    label: 'Kling 2.1 Master',
    modes: [],
    durations: CLASSIC_DURATIONS,
    fps: 24,
    cfgScale: false,
    typicalSeconds: 300,
    variants: {},
  },
  'kling-v2-5-turbo': {
    lifecycle: ACTIVE,
    label: 'Kling 2.5 Turbo',
    modes: ['std', 'pro'],
    durations: CLASSIC_DURATIONS,
    fps: 24,
    cfgScale: false,
    typicalSeconds: 150,
    variants: { 'pro:5': frames, 'pro:10': frames },
  },
  'kling-v2-6': {
    lifecycle: ACTIVE,
    label: 'Kling 2.6',
    modes: ['std', 'pro'],
    durations: CLASSIC_DURATIONS,
    fps: 24,
    cfgScale: false,
    typicalSeconds: 230,
    variants: {
      'pro:5': { endFrame: true, sound: true, voice: true },
      'pro:10': { endFrame: true, sound: true, voice: true },
    },
  },
  // On image2video since 2026-02-25 (kling-2026.md §1).
  'kling-v3': {
    lifecycle: ACTIVE,
    label: 'Kling 3.0',
    modes: MODES,
    durations: V3_DURATIONS,
    fps: 24,
    cfgScale: false,
    typicalSeconds: 260,
    variants: {
      'std:*': { endFrame: true, sound: true, multiShot: true, elements: true },
      'pro:*': { endFrame: true, sound: true, multiShot: true, elements: true },
      '4k:*': { endFrame: true, sound: true },
    },
  },
} as const satisfies Record<string, ModelCapabilities>;

export type ModelName = keyof typeof MODELS;
export const MODEL_NAMES = Object.keys(MODELS) as [ModelName, ...ModelName[]];
/** Kling's default when a request leaves `model_name` out. */
export const DEFAULT_MODEL: ModelName = 'kling-v1';
/** What the studio starts a new draft on: a current model, not Kling's (legacy) default. */
export const STUDIO_DEFAULT_MODEL: ModelName = 'kling-v2-6';
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
  const m = effectiveMode(model, mode) ?? '-';
  const v = (caps.durations as readonly string[]).includes(duration)
    ? (caps.variants[`${m}:${duration}`] ?? caps.variants[`${m}:*`] ?? {})
    : {};
  return {
    endFrame: v.endFrame ?? false,
    motionBrush: v.motionBrush ?? false,
    camera: v.camera ?? [],
    sound: v.sound ?? false,
    voice: v.voice ?? false,
    multiShot: v.multiShot ?? false,
    elements: v.elements ?? false,
  };
}

export type Feature = 'endFrame' | 'motionBrush' | 'camera' | 'sound' | 'voice' | 'multiShot' | 'elements';

export const FEATURE_LABELS: Record<Feature, string> = {
  endFrame: 'start & end frames',
  motionBrush: 'motion brush',
  camera: 'camera control',
  sound: 'sound',
  voice: 'voices',
  multiShot: 'multi-shot storyboards',
  elements: 'elements',
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

/** The modes in a creator's words; the API's `std`/`pro`/`4k` stay in Request JSON and tooltips. */
export const MODE_WORDS: Record<Mode, string> = { std: 'Standard', pro: 'Pro', '4k': '4K' };

/** A setup as far as it is known: the words leave out what is not given. */
export interface SetupLike {
  model: ModelName;
  mode?: Mode | undefined;
  duration?: Duration | string | number | undefined;
}

/**
 * A setup in a creator's words, "Kling 2.6 · Pro · 5 s" (a model without modes: "Kling 2.1 Master · 5 s").
 * Every message both sides show (the contract's rules, the composer's offers) names setups this way.
 */
export function describeSetup(s: SetupLike): string {
  const caps: ModelCapabilities | undefined = MODELS[s.model];
  const parts: string[] = [caps?.label ?? s.model];
  if (s.mode) parts.push(MODE_WORDS[s.mode]);
  if (s.duration !== undefined && s.duration !== '') parts.push(`${s.duration} s`);
  return parts.join(' · ');
}

/** "5 s", "5 or 10 s", "3–15 s" (a run of whole seconds). */
export function secondsWords(durations: readonly (Duration | string)[]): string {
  const n = [...new Set(durations.map(Number))].sort((a, b) => a - b);
  const run = n.length > 2 && n.every((v, i) => i === 0 || v === n[i - 1]! + 1);
  if (run) return `${n[0]}–${n.at(-1)} s`;
  return `${n.length > 1 ? `${n.slice(0, -1).join(', ')} or ${n.at(-1)}` : n[0]} s`;
}

/**
 * A list of setups in few words, one entry per model when its setups are every pair of some modes and
 * some durations ("Kling 3.0 · Standard/Pro · 3–15 s", "Kling 2.6 · Pro · 5 or 10 s"), so a hint never
 * lists 26 durations; a model whose setups are not such a grid has them one by one.
 */
export function describeSetups(setups: readonly Setup[]): string[] {
  const byModel = new Map<ModelName, Setup[]>();
  for (const s of setups) byModel.set(s.model, [...(byModel.get(s.model) ?? []), s]);
  return [...byModel].flatMap(([model, list]) => {
    const modes = MODES.filter((m) => list.some((s) => s.mode === m));
    const durations = DURATIONS.filter((d) => list.some((s) => s.duration === d));
    const grid = Math.max(modes.length, 1) * durations.length;
    const unique = new Set(list.map((s) => `${s.mode}:${s.duration}`)).size;
    if (unique !== grid) return list.map(describeSetup);
    const label: string = (MODELS[model] as ModelCapabilities).label;
    return [
      [label, modes.map((m) => MODE_WORDS[m]).join('/'), secondsWords(durations)].filter(Boolean).join(' · '),
    ];
  });
}

/** What a creator reads about a model Kling no longer offers: the map's note, the rule's and the API's words. */
export const retiredWords = (model: string) => `Kling no longer offers ${model}; pick another`;

/** The whole map with the operator's RETIRED_MODELS marked `retired` (what GET /api/capabilities serves). */
export function withRetiredModels(
  models: Readonly<Record<ModelName, ModelCapabilities>>,
  retired: readonly string[],
): Record<ModelName, ModelCapabilities> {
  const out = { ...models } as Record<ModelName, ModelCapabilities>;
  for (const name of retired)
    if (isModelName(name))
      out[name] = {
        ...out[name],
        lifecycle: { status: 'retired', note: retiredWords(name) },
      };
  return out;
}

export function isRetired(models: Readonly<Record<ModelName, ModelCapabilities>>, model: ModelName): boolean {
  return models[model].lifecycle.status === 'retired';
}
