import { z } from 'zod';
import {
  CAMERA_TYPES,
  DURATIONS,
  LIFECYCLE_STATUSES,
  MODEL_NAMES,
  MODES,
  type ModelCapabilities,
  type ModelName,
} from '../capabilities/matrix.ts';
import {
  MOTION_CONTROL_MODEL_NAMES,
  MOTION_CONTROL_MODES,
  type MotionControlCapabilities,
  type MotionControlModel,
} from '../capabilities/motion-control.ts';
import type { ImageFacts } from '../images/sniff.ts';
import { LIMITS } from '../limits.ts';
import { MODEL_PRICE_SOURCES, type ModelPrices } from '../pricing/prices.ts';
import { createRequestSchema } from './create-request.ts';
import { taskStatusSchema } from './kling-task.ts';
import { motionControlRequestSchema } from './motion-control-request.ts';

/** The studio backend's own API (`/api`, design.md "Backend API"). */

/** Which of Kling's endpoints a task went to: `/v1/videos/image2video` or `/v1/videos/motion-control`. */
export const TASK_KINDS = ['image2video', 'motion-control'] as const;
export const taskKindSchema = z.enum(TASK_KINDS);
export type TaskKind = z.infer<typeof taskKindSchema>;

/** What moves the picture: `reference` is a motion-control task's reference video. */
export const MOTION_KINDS = ['camera', 'brush', 'frames', 'reference', 'none'] as const;
export const motionKindSchema = z.enum(MOTION_KINDS);
export type MotionKind = z.infer<typeof motionKindSchema>;

/** One task as the studio knows it: Kling's state plus what the studio keeps (archive, inputs). */
export const studioTaskSchema = z.object({
  /** The studio's id (also the route id). */
  id: z.string(),
  kind: taskKindSchema,
  /** Sent to Kling as `external_task_id`; makes a retried create idempotent. */
  externalTaskId: z.string(),
  /** Kling's `task_id`, once Kling has answered the create. */
  klingTaskId: z.string().nullable(),
  status: taskStatusSchema,
  /** Kling's `task_status_msg`, or the studio's explanation of a failure, in plain words. */
  statusMessage: z.string().nullable(),
  model: z.enum(MODEL_NAMES),
  mode: z.enum(MODES).nullable(),
  /** Seconds, as text: the requested duration ("5"), or a motion-control reference's length ("7.2"). */
  duration: z.string(),
  motion: motionKindSchema,
  /** A multi-shot storyboard's shot count (kling-v3); null for a single-shot video. */
  shots: z.number().int().nullable(),
  prompt: z.string(),
  units: z.string().nullable(),
  /** The price list's figure for the task's settings (contract/pricing), shown beside what Kling deducted. */
  price: z.object({ units: z.number(), basis: z.string() }).nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().nullable(),
  /** Present once the result video is archived; `url` is the studio's own `/api/tasks/:id/video`. */
  video: z.object({ url: z.string(), duration: z.string(), bytes: z.number() }).nullable(),
  /** The start frame's thumbnail (a small JPEG served by the studio), when there is one. */
  thumbnailUrl: z.string().nullable(),
  /**
   * A frame of the result video (`/api/tasks/:id/poster`, a JPEG made on first request) once the video is
   * archived; null before. Optional so answers from a studio that predates it still parse.
   */
  posterUrl: z.string().nullable().optional(),
  /**
   * When the studio sent the task to Kling (null while it waits in the queue): a progress estimate starts
   * here, not at `createdAt`. Optional so answers from a studio that predates the queue still parse.
   */
  sentAt: z.number().nullable().optional(),
  /** A queued task waiting for a slot at Kling: its place in the order the studio sends them (1 = next). */
  queue: z.object({ position: z.number().int().min(1) }).optional(),
  /** A task made by `POST /api/tasks/batch`: the batch's id, this task's place in it and the batch's size. */
  batch: z
    .object({ id: z.string(), index: z.number().int().min(0), size: z.number().int().min(1) })
    .optional(),
});
export type StudioTask = z.infer<typeof studioTaskSchema>;

export const taskEnvelopeSchema = z.object({ task: studioTaskSchema });
/**
 * A history cursor: the created_at and insertion sequence of a page's last task ("1733140800000.42"). The
 * server makes them; a client only hands one back (GET /api/tasks?cursor=).
 */
export const TASK_CURSOR = /^[0-9]{1,16}\.[0-9]{1,19}$/;
/** What a cursor the server did not make is told (the route's 400, the same words wherever it shows). */
export const BAD_CURSOR_MESSAGE = 'cursor: must be a nextCursor from an earlier page of GET /api/tasks';

/**
 * `GET /api/tasks`: one page of the history, newest first, by keyset. No total and no page numbers:
 * counting a history of a million tasks on every page would cost more than the page itself.
 */
export const taskListSchema = z.object({
  tasks: z.array(studioTaskSchema),
  pageSize: z.number().int(),
  /** The next page by keyset (?cursor=); null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TaskList = z.infer<typeof taskListSchema>;

/** Both stores number rows with a signed 64-bit sequence: a cursor past it names no row of any store. */
const MAX_CURSOR_SEQ = 2n ** 63n - 1n;
/** A cursor the server could have made: its syntax, and a sequence a store can hold. */
export const isTaskCursor = (cursor: string): boolean =>
  TASK_CURSOR.test(cursor) && BigInt(cursor.split('.')[1]!) <= MAX_CURSOR_SEQ;

export const taskListQuerySchema = z.object({
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  status: taskStatusSchema.optional(),
  cursor: z.string().refine(isTaskCursor, BAD_CURSOR_MESSAGE).optional(),
});

export const violationSchema = z.object({ field: z.string(), rule: z.string(), message: z.string() });
export type Violation = z.infer<typeof violationSchema>;

/**
 * The daily spending cap (BUDGET_UNITS_PER_DAY) as it stands: units of today's tasks that were sent or are
 * queued, by the price table the composer uses (contract/pricing); the day is the studio's local day.
 */
export const budgetSchema = z.object({
  unitsPerDay: z.number().positive(),
  spentUnits: z.number().min(0),
  leftUnits: z.number().min(0),
  /** When the day's spend starts again from zero (the studio's next local midnight), epoch ms. */
  resetsAt: z.number(),
});
export type Budget = z.infer<typeof budgetSchema>;

export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(violationSchema).optional(),
    upstreamCode: z.number().optional(),
    /** With `budget_exceeded`: the budget as it stood, and the units the refused create or batch needed. */
    budget: budgetSchema.extend({ neededUnits: z.number() }).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/**
 * `POST /api/tasks/batch`: one create request (`POST /api/tasks`' body) and either `count` identical takes
 * or `images`, start frames (base64 or https URLs) that each replace the request's `image` in a task of
 * their own. Each frame is checked on its own: a bad one refuses only itself.
 */
export const BATCH_LIMITS = { takes: 8, frames: 20 } as const;
export const batchRequestSchema = z
  .object({
    request: z.record(z.string(), z.unknown()),
    count: z.number().int().min(1).max(BATCH_LIMITS.takes).optional(),
    images: z.array(z.string().min(1)).min(1).max(BATCH_LIMITS.frames).optional(),
  })
  .strict();
export type BatchRequest = z.infer<typeof batchRequestSchema>;

/** A frame of a batch that was refused, by its index in `images`, with the error a single create gets. */
export const batchRefusalSchema = z.object({
  index: z.number().int().min(0),
  error: apiErrorSchema.shape.error,
});
export const batchResponseSchema = z.object({
  batchId: z.string(),
  /** In the batch's order, every one queued. */
  tasks: z.array(studioTaskSchema),
  refused: z.array(batchRefusalSchema),
});
export type BatchResponse = z.infer<typeof batchResponseSchema>;

/**
 * `GET /api/queue`: what the dispatcher is doing. `slots.configured` is KLING_CONCURRENCY, `slots.learned`
 * the limit Kling has shown (a 1303 lowers it); `budget` is null when BUDGET_UNITS_PER_DAY is 0 (off).
 */
export const queueStateSchema = z.object({
  queued: z.number().int(),
  running: z.number().int(),
  slots: z.object({ configured: z.number().int(), learned: z.number().int() }),
  budget: budgetSchema.nullable(),
});
export type QueueState = z.infer<typeof queueStateSchema>;

/**
 * `GET /api/health`: the process is alive (`ok`), and what it runs on: the upstream, this replica's name
 * (REPLICA_ID), where state lives (`store`) and files (`storage`), and whether the database answers now. A
 * replica whose database is down is still `ok` (alive); `GET /api/ready` is what load balancers ask.
 */
export const healthSchema = z.object({
  ok: z.boolean(),
  upstream: z.object({ kind: z.enum(['kling', 'simulator']), baseUrl: z.string() }),
  replica: z.string(),
  store: z.enum(['sqlite', 'postgres']),
  storage: z.enum(['local', 's3']),
  database: z.object({ reachable: z.boolean() }),
});
export type Health = z.infer<typeof healthSchema>;

/** `GET /api/ready`: 200 `{ready: true}` when this replica can serve; 503 `{ready: false, reason}` when not. */
export const readinessSchema = z.discriminatedUnion('ready', [
  z.object({ ready: z.literal(true) }),
  z.object({ ready: z.literal(false), reason: z.string() }),
]);
export type Readiness = z.infer<typeof readinessSchema>;

/** One Server-Sent Event on `/api/events` (event name `task`). */
export const taskEventSchema = z.object({ task: studioTaskSchema });

/**
 * `GET /api/tasks/:id/inputs`: everything needed to remix a task. `request` is the create request as it
 * was sent, ready to edit and submit again: images are raw base64 (or the creator's original URL, when one
 * was given); `external_task_id` and `callback_url` are left out, so a resubmission gets fresh ones.
 * `images` describes each stored image by field path (`image`, `dynamic_masks[0].mask`, …) with the
 * studio's own URL for it (`/api/tasks/:id/inputs/<name>`), for previews that should not decode base64.
 */
export const inputImageSchema = z.object({
  url: z.string(),
  format: z.enum(['png', 'jpeg']),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  source: z.enum(['base64', 'url']),
});
export type InputImage = z.infer<typeof inputImageSchema>;

/** A stored reference video (an upload, or the download of the creator's URL), as the studio serves it. */
export const referenceVideoSchema = z.object({
  url: z.string(),
  format: z.enum(['mp4', 'mov']),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  durationMs: z.number().int(),
  source: z.enum(['upload', 'url']),
});
export type ReferenceVideo = z.infer<typeof referenceVideoSchema>;

export const taskInputsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('image2video'),
    request: createRequestSchema,
    images: z.record(z.string(), inputImageSchema),
  }),
  z.object({
    kind: z.literal('motion-control'),
    /** `video_url` is the reference's `ref` when it was uploaded (still usable for a remix), else the URL. */
    request: motionControlRequestSchema,
    images: z.record(z.string(), inputImageSchema),
    reference: referenceVideoSchema,
  }),
]);
export type TaskInputs = z.infer<typeof taskInputsSchema>;

/** `POST /api/uploads`: a reference video, checked and stored; `ref` goes into `video_url`. */
export const uploadSchema = z.object({
  id: z.string(),
  ref: z.string(),
  format: z.enum(['mp4', 'mov']),
  bytes: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  durationMs: z.number().int(),
});
export type Upload = z.infer<typeof uploadSchema>;
export const uploadEnvelopeSchema = z.object({ upload: uploadSchema });

/**
 * `GET /api/capabilities`: the capability map as this studio serves it (its RETIRED_MODELS marked
 * `retired`), the limits, motion control's models, and the price table with the money rate (USD_PER_UNIT).
 * The web renders from this, so an operator's change reaches it without a rebuild.
 */
const lifecycleSchema = z.object({
  status: z.enum(LIFECYCLE_STATUSES),
  note: z.string().optional(),
  date: z.string().optional(),
});
const variantSchema = z
  .object({
    endFrame: z.boolean(),
    motionBrush: z.boolean(),
    camera: z.array(z.enum(CAMERA_TYPES)).readonly(),
    sound: z.boolean(),
    voice: z.boolean(),
    multiShot: z.boolean(),
    elements: z.boolean(),
  })
  .partial();
export const modelCapabilitiesSchema = z.object({
  label: z.string(),
  modes: z.array(z.enum(MODES)).readonly(),
  durations: z.array(z.enum(DURATIONS)).readonly(),
  fps: z.number(),
  cfgScale: z.boolean(),
  variants: z.record(z.string(), variantSchema),
  typicalSeconds: z.number(),
  lifecycle: lifecycleSchema,
});
const modelPricesSchema = z.object({
  source: z.enum(MODEL_PRICE_SOURCES),
  perSecond: z.partialRecord(
    z.enum([...MODES, '-']),
    z.object({ silent: z.number(), sound: z.number().optional() }),
  ),
  voicesPer5s: z.number().optional(),
});
export const capabilitiesSchema = z.object({
  models: z.record(z.enum(MODEL_NAMES), modelCapabilitiesSchema),
  limits: z.record(
    z.enum(Object.keys(LIMITS) as [keyof typeof LIMITS, ...(keyof typeof LIMITS)[]]),
    z.number(),
  ),
  motionControl: z.record(
    z.enum(MOTION_CONTROL_MODEL_NAMES),
    z.object({
      label: z.string(),
      modes: z.array(z.enum(MOTION_CONTROL_MODES)).readonly(),
      elementsMax: z.number().int(),
      fps: z.number(),
      typicalSeconds: z.number(),
    }),
  ),
  prices: z.object({
    image2video: z.record(z.enum(MODEL_NAMES), modelPricesSchema),
    motionControl: z.record(
      z.enum(MOTION_CONTROL_MODEL_NAMES),
      z.record(z.enum(MOTION_CONTROL_MODES), z.number()),
    ),
    source: z.object({ name: z.string(), asOf: z.string() }),
    /** US$ per unit, for the approximate money beside units. */
    usdPerUnit: z.number().positive(),
  }),
});
export type Capabilities = z.infer<typeof capabilitiesSchema>;

// What the web parses is what the contract's functions take: these fail to compile if the two drift apart.
const _servedModelIsCapabilities = (m: Capabilities['models'][ModelName]): ModelCapabilities => m;
const _servedPricesArePrices = (p: Capabilities['prices']['image2video'][ModelName]): ModelPrices => p;
const _servedMotionControl = (
  m: Capabilities['motionControl'][MotionControlModel],
): MotionControlCapabilities => m;

/** An image's facts as the rules read them (contract/images/sniff.ts). */
export const imageFactsSchema = z.object({
  format: z.enum(['png', 'jpeg', 'gif', 'webp', 'svg', 'unknown']),
  bytes: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
});
const _servedFactsAreFacts = (f: z.infer<typeof imageFactsSchema>): ImageFacts => f;
const _factsAreServed = (f: ImageFacts): z.infer<typeof imageFactsSchema> => f;

/** The frame fields an image URL can be checked for, before it goes into a create request. */
export const IMAGE_CHECK_FIELDS = ['image', 'image_tail'] as const;

/** `POST /api/image-check`: an image URL, checked by the studio (which fetches it safely) as create would. */
export const imageCheckRequestSchema = z.strictObject({
  url: z.string().min(1).max(4096),
  field: z.enum(IMAGE_CHECK_FIELDS).default('image'),
});
export type ImageCheckRequest = z.input<typeof imageCheckRequestSchema>;

/**
 * The answer: the facts of the real bytes (null when they could not be fetched), every rule they break in
 * create's words (an unreachable host is `image_url_unusable`), and a small JPEG of the picture as a data
 * URL when it could be read, so the browser never loads the creator's host itself.
 */
export const imageCheckSchema = z.object({
  facts: imageFactsSchema.nullable(),
  violations: z.array(violationSchema),
  thumbnail: z.string().nullable(),
});
export type ImageCheck = z.infer<typeof imageCheckSchema>;
