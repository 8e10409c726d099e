import { z } from 'zod';

/**
 * Kling's task object and envelopes (reference §3). Note the status is `succeed`, not `succeeded`.
 * `task_info` and `task_result` are `{}` until they have content, so every inner field is optional.
 */
export const KLING_TASK_STATUSES = ['submitted', 'processing', 'succeed', 'failed'] as const;
export const klingTaskStatusSchema = z.enum(KLING_TASK_STATUSES);
export type KlingTaskStatus = z.infer<typeof klingTaskStatusSchema>;

/**
 * A studio task's statuses: Kling's four, with `queued` before them (accepted, waiting for a free slot at
 * Kling, never sent yet) and `cancelled` (a queued task ended by the creator before it was sent). Kling
 * itself never says either.
 */
export const TASK_STATUSES = ['queued', ...KLING_TASK_STATUSES, 'cancelled'] as const;
export const taskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof taskStatusSchema>;
export const FINAL_STATUSES: readonly TaskStatus[] = ['succeed', 'failed', 'cancelled'];
export const isFinalStatus = (s: TaskStatus) => FINAL_STATUSES.includes(s);

export const klingVideoSchema = z.object({
  id: z.string(),
  url: z.string(),
  watermark_url: z.string().optional(),
  /** A string, and not exactly the requested length ("5.1" for a 5 s request). */
  duration: z.string(),
});

export const klingTaskSchema = z.object({
  task_id: z.string(),
  task_status: klingTaskStatusSchema,
  task_status_msg: z.string().optional(),
  task_info: z.object({ external_task_id: z.string().optional() }).loose().optional(),
  task_result: z
    .object({ videos: z.array(klingVideoSchema).optional() })
    .loose()
    .optional(),
  /** Units billed, as a decimal string ("1", "2.5"). Anything else is dropped: the task's units stay unknown. */
  final_unit_deduction: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .optional()
    .catch(undefined),
  created_at: z.number(),
  updated_at: z.number(),
});
export type KlingTask = z.infer<typeof klingTaskSchema>;

export const klingEnvelopeSchema = <T extends z.ZodType>(data: T) =>
  z.object({ code: z.number(), message: z.string(), request_id: z.string(), data });

export const klingTaskEnvelopeSchema = klingEnvelopeSchema(klingTaskSchema);
export const klingTaskListEnvelopeSchema = klingEnvelopeSchema(z.array(klingTaskSchema));

/** An error answer: no `data`. */
export const klingErrorSchema = z.object({ code: z.number(), message: z.string(), request_id: z.string() });
export type KlingError = z.infer<typeof klingErrorSchema>;

/** Kling's business codes (reference §4): HTTP status and meaning. */
export const KLING_CODES = {
  0: { http: 200, meaning: 'Request successful' },
  1000: { http: 401, meaning: 'Authentication failed' },
  1001: { http: 401, meaning: 'Authorization is empty' },
  1002: { http: 401, meaning: 'Authorization is invalid' },
  1003: { http: 401, meaning: 'Authorization is not yet valid' },
  1004: { http: 401, meaning: 'Authorization has expired' },
  1100: { http: 429, meaning: 'Account exception' },
  1101: { http: 429, meaning: 'Account in arrears (postpaid scenario)' },
  1102: { http: 429, meaning: 'Resource pack depleted or expired (prepaid scenario)' },
  1103: { http: 403, meaning: 'Unauthorized access to requested resource, such as API/model' },
  1200: { http: 400, meaning: 'Invalid request parameters' },
  1201: { http: 400, meaning: 'Invalid parameters, such as incorrect key or illegal value' },
  1202: { http: 404, meaning: 'The requested method is invalid' },
  1203: { http: 404, meaning: 'The requested resource does not exist, such as the model' },
  1300: { http: 400, meaning: 'Trigger strategy of the platform' },
  1301: { http: 400, meaning: 'Trigger the content security policy of the platform' },
  1302: { http: 429, meaning: "The API request is too fast, exceeding the platform's rate limit" },
  1303: { http: 429, meaning: 'Concurrency or QPS exceeds the prepaid resource package limit' },
  1304: { http: 429, meaning: "Trigger the platform's IP whitelisting policy" },
  5000: { http: 500, meaning: 'Server internal error' },
  5001: { http: 503, meaning: 'Server temporarily unavailable, usually due to maintenance' },
  5002: { http: 504, meaning: 'Server internal timeout, usually due to a backlog' },
} as const satisfies Record<number, { http: number; meaning: string }>;
export type KlingCode = keyof typeof KLING_CODES;

/**
 * The codes by name, so a reader sees `KLING_CODE.rateLimited` rather than 1302. `satisfies` keeps every value
 * a key of KLING_CODES; `_everyCodeNamed` below fails to compile when a code is added there without a name here.
 */
export const KLING_CODE = {
  ok: 0,
  authFailed: 1000,
  authEmpty: 1001,
  authInvalid: 1002,
  authNotYetValid: 1003,
  authExpired: 1004,
  accountException: 1100,
  accountArrears: 1101,
  outOfCredits: 1102,
  forbidden: 1103,
  invalidRequest: 1200,
  invalidParameter: 1201,
  invalidMethod: 1202,
  /** "The requested resource does not exist, such as the model": also what a lookup of an unknown task gets. */
  notFound: 1203,
  policy: 1300,
  contentPolicy: 1301,
  rateLimited: 1302,
  concurrency: 1303,
  ipBlocked: 1304,
  serverError: 5000,
  unavailable: 5001,
  serverTimeout: 5002,
} as const satisfies Record<string, KlingCode>;
const _everyCodeNamed: Record<Exclude<KlingCode, (typeof KLING_CODE)[keyof typeof KLING_CODE]>, never> = {};
