import { z } from 'zod';
import {
  CHARACTER_ORIENTATIONS,
  MOTION_CONTROL_MODEL_NAMES,
  MOTION_CONTROL_MODES,
} from '../capabilities/motion-control.ts';
import { LIMITS } from '../limits.ts';
import { callbackUrlSchema, externalTaskIdSchema } from './create-request.ts';

/**
 * The body of Kling's `POST /v1/videos/motion-control`, field for field (kling-2026.md §2). Structural
 * rules only; the cross-field and file rules live in rules/validate-motion-control.ts. Kling's defaults
 * are applied by Kling, so none is injected here.
 */
export const KEEP_ORIGINAL_SOUND = ['yes', 'no'] as const;

export const motionControlRequestShape = {
  /** Default `kling-v2-6`. */
  model_name: z.enum(MOTION_CONTROL_MODEL_NAMES).optional(),
  /** The character picture: raw base64 (no `data:` prefix) or an http(s) URL. */
  image_url: z.string(),
  /**
   * The reference video: a URL for Kling. The studio's own API also takes an upload's `ref`
   * (`upload:<id>`), which the backend replaces with a short-lived signed URL of its own.
   */
  video_url: z.string(),
  character_orientation: z.enum(CHARACTER_ORIENTATIONS),
  mode: z.enum(MOTION_CONTROL_MODES),
  /** Default `yes`. */
  keep_original_sound: z.enum(KEEP_ORIGINAL_SOUND).optional(),
  /** Scene and background: the motion itself comes from the video. */
  prompt: z.string().max(LIMITS.promptMaxChars).optional(),
  element_list: z.array(z.object({ element_id: z.string().min(1) })).optional(),
  watermark_info: z.object({ enabled: z.boolean() }).optional(),
  callback_url: callbackUrlSchema.optional(),
  external_task_id: externalTaskIdSchema.optional(),
};

/** Kling ignores unknown keys; this schema strips them. */
export const motionControlRequestSchema = z.object(motionControlRequestShape);
/** The studio's API refuses unknown keys (a typo must not silently cost units). */
export const strictMotionControlRequestSchema = z.strictObject(motionControlRequestShape);

export type MotionControlRequest = z.infer<typeof motionControlRequestSchema>;

/** An upload's reference in `video_url` on the studio's API. */
export const UPLOAD_REF_PREFIX = 'upload:';
export const UPLOAD_ID = /^[A-Za-z0-9-]{8,64}$/;

export function isUploadRef(value: string): boolean {
  return value.startsWith(UPLOAD_REF_PREFIX) && UPLOAD_ID.test(value.slice(UPLOAD_REF_PREFIX.length));
}
export const uploadRef = (id: string) => `${UPLOAD_REF_PREFIX}${id}`;
export const uploadIdOf = (ref: string) =>
  isUploadRef(ref) ? ref.slice(UPLOAD_REF_PREFIX.length) : undefined;
