import { z } from 'zod';
import { CAMERA_TYPES, DURATIONS, MODEL_NAMES, MODES } from '../capabilities/matrix.ts';
import { LIMITS } from '../limits.ts';

/**
 * The body of Kling's `POST /v1/videos/image2video`, field for field (seed + reference §2).
 * Structural rules only (types, enums, ranges); cross-field rules live in rules/validate-request.ts.
 * Defaults are Kling's, documented here and applied by Kling, so the schema does not inject them:
 * the backend forwards exactly what the creator built.
 */
/** The characters of an `external_task_id` (its length is checked on its own, with its own message). */
export const EXTERNAL_TASK_ID_CHARS = /^[A-Za-z0-9._:-]*$/;

/** Where Kling calls back; the same field on every endpoint. */
export const callbackUrlSchema = z.url({ protocol: /^https?$/ });
/** Only what is safe in a URL path, a header or a log line (Kling accepts any text). */
export const externalTaskIdSchema = z
  .string()
  .min(1)
  .max(LIMITS.externalTaskIdMaxChars)
  .regex(EXTERNAL_TASK_ID_CHARS);

export const CAMERA_AXES = ['horizontal', 'vertical', 'pan', 'tilt', 'roll', 'zoom'] as const;
export type CameraAxis = (typeof CAMERA_AXES)[number];

const axis = z.number().min(LIMITS.cameraAxisMin).max(LIMITS.cameraAxisMax);

export const cameraConfigSchema = z.object({
  horizontal: axis,
  vertical: axis,
  pan: axis,
  tilt: axis,
  roll: axis,
  zoom: axis,
});
export type CameraConfig = z.infer<typeof cameraConfigSchema>;

export const cameraControlSchema = z.object({
  type: z.enum(CAMERA_TYPES),
  config: cameraConfigSchema.optional(),
});
export type CameraControl = z.infer<typeof cameraControlSchema>;

/** A trajectory point in API space: native start-frame pixels, origin bottom-left, integers. */
export const apiPointSchema = z.object({ x: z.number().int(), y: z.number().int() });

export const dynamicMaskSchema = z.object({
  mask: z.string().min(1),
  trajectories: z.array(apiPointSchema).min(LIMITS.trajectoryMinPoints).max(LIMITS.trajectoryMaxPoints),
});
export type DynamicMask = z.infer<typeof dynamicMaskSchema>;

export const voiceSchema = z.object({ voice_id: z.string().min(1) });

/** kling-v3 multi-shot (kling-api.md §2): `customize` lays out the shots, `intelligence` lets Kling plan them. */
export const SHOT_TYPES = ['customize', 'intelligence'] as const;
export type ShotType = (typeof SHOT_TYPES)[number];

/** One shot of a storyboard: `index` from 1, its own prompt, its length in whole seconds as a string ("4"). */
export const shotSchema = z.object({ index: z.number().int(), prompt: z.string(), duration: z.string() });
export type Shot = z.infer<typeof shotSchema>;

/**
 * An element of the creator's Kling library: Kling documents the id as a long, so digits as text pass too.
 * One check with one message: a union's per-branch issues read "must be a valid regex" or "must be at
 * least 0 (got 0)" to a creator.
 */
export const elementIdSchema = z.custom<number | string>(
  (v) =>
    (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) ||
    (typeof v === 'string' && /^[1-9]\d{0,18}$/.test(v)),
  'must be an element id from your Kling element library: a positive whole number (or its digits as text)',
);
export const elementSchema = z.object({ element_id: elementIdSchema });

export const createRequestShape = {
  /** Default `kling-v1`. */
  model_name: z.enum(MODEL_NAMES).optional(),
  /** Start frame: raw base64 (no `data:` prefix) or an http(s) URL. */
  image: z.string().optional(),
  /** End frame, same encoding. */
  image_tail: z.string().optional(),
  prompt: z.string().max(LIMITS.promptMaxChars).optional(),
  negative_prompt: z.string().max(LIMITS.promptMaxChars).optional(),
  voice_list: z.array(voiceSchema).max(LIMITS.voicesMax).optional(),
  /** Default `off`. */
  sound: z.enum(['on', 'off']).optional(),
  /** Default 0.5; not for kling-v2.x. */
  cfg_scale: z.number().min(LIMITS.cfgScaleMin).max(LIMITS.cfgScaleMax).optional(),
  /** Default `std`; absent for models without modes. */
  mode: z.enum(MODES).optional(),
  static_mask: z.string().min(1).optional(),
  dynamic_masks: z.array(dynamicMaskSchema).max(LIMITS.dynamicMasksMax).optional(),
  camera_control: cameraControlSchema.optional(),
  /** Default `"5"`; a string, as Kling documents it. */
  duration: z.enum(DURATIONS).optional(),
  /** kling-v3: a storyboard of shots instead of one prompt. Default false. */
  multi_shot: z.boolean().optional(),
  shot_type: z.enum(SHOT_TYPES).optional(),
  multi_prompt: z.array(shotSchema).optional(),
  /** kling-v3: up to 3 elements; never with voice_list. */
  element_list: z.array(elementSchema).optional(),
  callback_url: callbackUrlSchema.optional(),
  external_task_id: externalTaskIdSchema.optional(),
};

/** Kling ignores unknown keys (reference §2); this schema strips them. */
export const createRequestSchema = z.object(createRequestShape);
/** The studio's own API refuses unknown keys: a typo there should not silently cost a credit. */
export const strictCreateRequestSchema = z.strictObject(createRequestShape);

export type CreateRequest = z.infer<typeof createRequestSchema>;

/** The motion brush's part of a request: built by the brush at submit, read back by remix. */
export type MotionBrushFields = Pick<CreateRequest, 'static_mask' | 'dynamic_masks'>;

/** Fields that carry an image (base64 or URL), as field paths. */
export function imageFieldPaths(
  req: CreateRequest,
): { path: string; value: string; kind: 'frame' | 'mask' }[] {
  const out: { path: string; value: string; kind: 'frame' | 'mask' }[] = [];
  if (req.image) out.push({ path: 'image', value: req.image, kind: 'frame' });
  if (req.image_tail) out.push({ path: 'image_tail', value: req.image_tail, kind: 'frame' });
  if (req.static_mask) out.push({ path: 'static_mask', value: req.static_mask, kind: 'mask' });
  req.dynamic_masks?.forEach((m, i) => {
    out.push({ path: `dynamic_masks[${i}].mask`, value: m.mask, kind: 'mask' });
  });
  return out;
}
