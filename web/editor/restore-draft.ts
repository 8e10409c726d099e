import {
  CAMERA_TYPES,
  type CameraType,
  DURATIONS,
  type Duration,
  isModelName,
  MODELS,
  MODES,
  type Mode,
  type ModelCapabilities,
} from '../../contract/capabilities/matrix.ts';
import type { MotionControlMode } from '../../contract/capabilities/motion-control.ts';
import {
  CHARACTER_ORIENTATIONS,
  isMotionControlModel,
  MOTION_CONTROL_MODELS,
} from '../../contract/capabilities/motion-control.ts';
import type { ImageFacts } from '../../contract/images/sniff.ts';
import { LIMITS } from '../../contract/limits.ts';
import { CAMERA_AXES, type CameraConfig } from '../../contract/schemas/create-request.ts';
import { KEEP_ORIGINAL_SOUND } from '../../contract/schemas/motion-control-request.ts';
import { uploadSchema } from '../../contract/schemas/studio-api.ts';
import { defaultDraft, defaultReference } from './default-draft.ts';
import {
  type Draft,
  type Frame,
  MOTION_TABS,
  type MotionTab,
  type ReferenceClip,
  type ReferenceDraft,
} from './draft-types.ts';
import { restoreStoryboard } from './storyboard.ts';

/**
 * Repairs a draft read from storage (an older version, a hand-edited IndexedDB, a half-written record)
 * field by field: anything unreadable falls back to its default instead of breaking the editor.
 */
type Loose = Record<string, unknown>;
const isObj = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneOf = <T extends string>(v: unknown, all: readonly T[], fallback: T): T =>
  typeof v === 'string' && (all as readonly string[]).includes(v) ? (v as T) : fallback;
const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);

function facts(v: unknown): ImageFacts | null {
  if (!isObj(v)) return null;
  const { format, bytes, width, height } = v;
  if (typeof format !== 'string' || typeof bytes !== 'number') return null;
  if (typeof width !== 'number' || typeof height !== 'number') return null;
  return { format: format as ImageFacts['format'], bytes, width, height };
}

export function restoreFrame(v: unknown): Frame | null {
  if (!isObj(v) || typeof v.id !== 'string') return null;
  if (v.source === 'file') {
    const f = facts(v.facts);
    if (typeof v.base64 !== 'string' || !v.base64 || !f) return null;
    return { source: 'file', id: v.id, name: str(v.name, 'image'), base64: v.base64, facts: f };
  }
  if (v.source === 'url' && typeof v.url === 'string' && v.url)
    return { source: 'url', id: v.id, url: v.url, facts: facts(v.facts) };
  return null;
}

function camera(v: unknown): { type: CameraType; config: CameraConfig } {
  const d = defaultDraft().camera;
  if (!isObj(v)) return d;
  const cfg = isObj(v.config) ? v.config : {};
  const config = { ...d.config };
  for (const a of CAMERA_AXES) {
    const n = cfg[a];
    if (typeof n === 'number' && Number.isFinite(n))
      config[a] = Math.min(LIMITS.cameraAxisMax, Math.max(LIMITS.cameraAxisMin, n));
  }
  return { type: oneOf(v.type, CAMERA_TYPES, d.type), config };
}

function referenceClip(v: unknown): ReferenceClip | null {
  if (!isObj(v)) return null;
  const upload = uploadSchema.safeParse(v.upload);
  if (!upload.success) return null;
  return { upload: upload.data, name: str(v.name, 'reference video'), hasAudio: v.hasAudio === true };
}

export function restoreReference(v: unknown): ReferenceDraft {
  const d = defaultReference();
  if (!isObj(v)) return d;
  const model = typeof v.model === 'string' && isMotionControlModel(v.model) ? v.model : d.model;
  return {
    model,
    mode: oneOf<MotionControlMode>(v.mode, MOTION_CONTROL_MODELS[model].modes, d.mode),
    orientation: oneOf(v.orientation, CHARACTER_ORIENTATIONS, d.orientation),
    keepSound: oneOf(v.keepSound, KEEP_ORIGINAL_SOUND, d.keepSound),
    clip: referenceClip(v.clip),
  };
}

/** The model's duration nearest to `wanted` (itself when the model takes it). */
export function nearestDuration(durations: readonly Duration[], wanted: Duration): Duration {
  let best = durations[0]!;
  for (const d of durations)
    if (Math.abs(Number(d) - Number(wanted)) < Math.abs(Number(best) - Number(wanted))) best = d;
  return best;
}

export function restoreDraft(v: unknown): Draft {
  const d = defaultDraft();
  if (!isObj(v)) return d;
  const frames = isObj(v.frames) ? v.frames : {};
  const cfg = typeof v.cfgScale === 'number' && Number.isFinite(v.cfgScale) ? v.cfgScale : d.cfgScale;
  const model = typeof v.model === 'string' && isModelName(v.model) ? v.model : d.model;
  // Mode and length are the model's own: kling-v3's 12 s or 4k stored beside kling-v2-6 (an edited
  // record, an older studio) becomes the nearest the model takes. Models without modes keep the stored
  // mode, so switching back restores it.
  const caps: ModelCapabilities = MODELS[model];
  return {
    frames: { start: restoreFrame(frames.start), end: restoreFrame(frames.end) },
    model,
    mode: oneOf<Mode>(v.mode, caps.modes.length ? caps.modes : MODES, caps.modes[0] ?? d.mode),
    duration: nearestDuration(caps.durations, oneOf<Duration>(v.duration, DURATIONS, d.duration)),
    prompt: str(v.prompt),
    negativePrompt: str(v.negativePrompt),
    cfgScale: Math.min(LIMITS.cfgScaleMax, Math.max(LIMITS.cfgScaleMin, cfg)),
    sound: v.sound === 'on' ? 'on' : 'off',
    voices: Array.isArray(v.voices)
      ? v.voices.filter((x): x is string => typeof x === 'string').slice(0, LIMITS.voicesMax)
      : [],
    camera: camera(v.camera),
    reference: restoreReference(v.reference),
    storyboard: restoreStoryboard(v.storyboard),
    motionTab: oneOf<MotionTab>(v.motionTab, MOTION_TABS, d.motionTab),
  };
}
