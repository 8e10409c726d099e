import {
  base64DecodedLength,
  decodeBase64Prefix,
  isHttpUrl,
  isWellFormedBase64,
} from '../../contract/images/base64.ts';
import { SNIFF_BYTES, sniffImage } from '../../contract/images/sniff.ts';
import { LIMITS } from '../../contract/limits.ts';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import { defaultDraft } from './default-draft.ts';
import type { Draft, Frame, MotionTab } from './draft-types.ts';
import { useEditorStore } from './editor-store.ts';
import { newId } from './ids.ts';

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
    model: req.model_name ?? d.model,
    mode: req.mode ?? d.mode,
    duration: req.duration ?? d.duration,
    prompt: req.prompt ?? '',
    negativePrompt: req.negative_prompt ?? '',
    cfgScale: req.cfg_scale ?? d.cfgScale,
    sound: req.sound ?? 'off',
    voices: (req.voice_list ?? []).map((v) => v.voice_id).slice(0, LIMITS.voicesMax),
    camera: cam ? { type: cam.type, config: { ...d.camera.config, ...cam.config } } : d.camera,
    motionTab: motionTabOf(req),
  };
}

/** Replaces the composer's draft with a request (the tasks feature's "Remix"). */
export function loadDraftFromRequest(req: CreateRequest): void {
  useEditorStore.getState().replaceDraft(draftFromRequest(req));
}
