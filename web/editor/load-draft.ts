import { DEFAULT_MODEL } from '../../contract/capabilities/matrix.ts';
import {
  DEFAULT_KEEP_ORIGINAL_SOUND,
  DEFAULT_MOTION_CONTROL_MODEL,
} from '../../contract/capabilities/motion-control.ts';
import {
  base64DecodedLength,
  decodeBase64Prefix,
  isHttpUrl,
  isWellFormedBase64,
} from '../../contract/images/base64.ts';
import { SNIFF_BYTES, sniffImage } from '../../contract/images/sniff.ts';
import { LIMITS } from '../../contract/limits.ts';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import type { MotionControlRequest } from '../../contract/schemas/motion-control-request.ts';
import { defaultDraft } from './default-draft.ts';
import type { Draft, Frame, MotionTab } from './draft-types.ts';
import { useEditorStore } from './editor-store.ts';
import { newId } from './ids.ts';
import { storyboardFromRequest } from './storyboard.ts';

/** A stored image value (raw base64 or an http(s) URL) as a draft frame. */
export function frameFromValue(value: string | undefined, name: string): Frame | null {
  if (!value) return null;
  if (isHttpUrl(value)) return { source: 'url', id: newId(), url: value, facts: null };
  if (!isWellFormedBase64(value)) return null;
  const facts = sniffImage(decodeBase64Prefix(value, SNIFF_BYTES), base64DecodedLength(value));
  return { source: 'file', id: newId(), name, base64: value, facts };
}

function motionTabOf(req: CreateRequest): MotionTab {
  if (req.camera_control) return 'camera';
  if (req.static_mask || req.dynamic_masks?.length) return 'brush';
  return 'frames';
}

/**
 * A create request (e.g. a task's inputs, for "Remix") as a draft. Images may be raw base64 or URLs.
 * Masks are not part of this draft: the motion brush keeps its own store, so a remix with masks opens
 * the Motion brush tab and leaves the masks to that feature.
 */
export function draftFromRequest(req: CreateRequest): Draft {
  const d = defaultDraft();
  const cam = req.camera_control;
  return {
    ...d,
    frames: {
      start: frameFromValue(req.image, 'Start frame (remix)'),
      end: frameFromValue(req.image_tail, 'End frame (remix)'),
    },
    // No model_name means Kling's own default (kling-v1), not the studio's: the task ran on it.
    model: req.model_name ?? DEFAULT_MODEL,
    mode: req.mode ?? d.mode,
    duration: req.duration ?? d.duration,
    prompt: req.prompt ?? '',
    negativePrompt: req.negative_prompt ?? '',
    cfgScale: req.cfg_scale ?? d.cfgScale,
    sound: req.sound ?? 'off',
    voices: (req.voice_list ?? []).map((v) => v.voice_id).slice(0, LIMITS.voicesMax),
    camera: cam ? { type: cam.type, config: { ...d.camera.config, ...cam.config } } : d.camera,
    storyboard: storyboardFromRequest(req),
    motionTab: motionTabOf(req),
  };
}

/** Replaces the composer's draft with a request (the tasks feature's "Remix"). */
export function loadDraftFromRequest(req: CreateRequest): void {
  useEditorStore.getState().replaceDraft(draftFromRequest(req));
}

/**
 * A motion-control request (a task's inputs, for "Remix") as a draft on the Reference video tab: the
 * character picture becomes the start frame, and the settings come back. The clip is not part of it: its
 * ref may have expired, so the caller uploads the stored reference again.
 */
export function draftFromMotionControl(req: MotionControlRequest): Draft {
  const d = defaultDraft();
  return {
    ...d,
    frames: { start: frameFromValue(req.image_url, 'Character picture (remix)'), end: null },
    prompt: req.prompt ?? '',
    reference: {
      model: req.model_name ?? DEFAULT_MOTION_CONTROL_MODEL,
      mode: req.mode,
      orientation: req.character_orientation,
      keepSound: req.keep_original_sound ?? DEFAULT_KEEP_ORIGINAL_SOUND,
      clip: null,
    },
    motionTab: 'reference',
  };
}

/** Replaces the composer's draft with a motion-control request (Remix of a motion-control task). */
export function loadDraftFromMotionControl(req: MotionControlRequest): void {
  useEditorStore.getState().replaceDraft(draftFromMotionControl(req));
}
