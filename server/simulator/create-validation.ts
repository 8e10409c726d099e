import type { ImageFacts } from '../../contract/images/sniff.ts';
import { ASYNC_RULES, validateRequest } from '../../contract/rules/validate-request.ts';
import { type CreateRequest, createRequestSchema } from '../../contract/schemas/create-request.ts';
import type { Violation } from '../../contract/schemas/studio-api.ts';
import { type ImageFetchOptions, type LoadedImage, loadImages } from './image-input.ts';

/**
 * A create request checked as Kling checks it: structure and cross-field rules from contract/,
 * image facts from the real bytes. Violations split into the ones Kling answers at once (1201) and
 * the ones it only discovers later, failing the task (ASYNC_RULES: mask aspect and resolution).
 */
export type CreateCheck =
  | { ok: false; violations: Violation[] }
  | {
      ok: true;
      request: CreateRequest;
      images: Map<string, LoadedImage>;
      /** ASYNC_RULES violations; the task is accepted and then fails with the first one's message. */
      deferred: Violation[];
    };

/**
 * Some clients send `duration: 5` (an integer); the docs say string. Kling's behaviour is UNCERTAIN;
 * we accept whole numbers by turning them into the documented string, and leave anything else to the schema.
 * Kling's own kling-v3 curl example sends `multi_shot: "true"` (a string where the table says boolean), so
 * "true" and "false" are read as the booleans they mean; any other text is left for the schema to refuse.
 */
export function normaliseBody(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const rec = { ...(body as Record<string, unknown>) };
  if (typeof rec.duration === 'number' && Number.isInteger(rec.duration)) rec.duration = String(rec.duration);
  if (rec.multi_shot === 'true' || rec.multi_shot === 'false') rec.multi_shot = rec.multi_shot === 'true';
  return rec;
}

export async function klingCheck(
  rawBody: unknown,
  opts: ImageFetchOptions & { strict: boolean },
): Promise<CreateCheck> {
  const body = normaliseBody(rawBody);
  // Structurally broken requests are refused before anything is downloaded (nothing to check them against).
  const shape = createRequestSchema.safeParse(body);
  if (!shape.success) return { ok: false, violations: validateRequest(body).violations };

  const { images, violations: fetchViolations } = await loadImages(shape.data, opts);
  const facts: Record<string, ImageFacts> = {};
  for (const [path, img] of images) facts[path] = img.facts;
  const result = validateRequest(body, { facts });

  const sync = [...fetchViolations, ...result.violations.filter((v) => !ASYNC_RULES.has(v.rule))];
  const deferred = result.violations.filter((v) => ASYNC_RULES.has(v.rule));
  if (sync.length > 0 || (opts.strict && deferred.length > 0))
    return { ok: false, violations: [...sync, ...deferred] };
  return { ok: true, request: shape.data, images, deferred };
}

/** Kling answers one message; we send the first violation's (it names the field). */
export function violationMessage(violations: readonly Violation[]): string {
  return violations[0]?.message ?? 'Invalid parameters';
}
