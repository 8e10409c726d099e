import { Hono } from 'hono';
import { isHttpUrl } from '../../contract/images/base64.ts';
import { fieldLabel } from '../../contract/rules/field-labels.ts';
import { imageDamaged, imageFactRules } from '../../contract/rules/image-rules.ts';
import { violationsFromZod } from '../../contract/rules/schema-issues.ts';
import {
  type ImageCheck,
  imageCheckRequestSchema,
  type Violation,
} from '../../contract/schemas/studio-api.ts';
import { readJsonBody } from '../http/read-json-body.ts';
import { type CollectedImage, collectImages } from '../inputs/collect-images.ts';
import { makeThumbnail } from '../inputs/image-facts.ts';
import { isStructurallyIntact, pictureDataIntact } from '../inputs/image-integrity.ts';
import { StudioError, validationError } from '../lib/studio-error.ts';
import type { AppDeps } from './app-deps.ts';

/** `{url, field}` and nothing else: a few KB is plenty. */
const BODY_LIMIT_BYTES = 16 * 1024;
/**
 * Checks running at once: each may hold a 10 MB download and a thumbnail decode, and anyone who can open
 * the studio can ask for one, so a burst is turned away (503) rather than queued in memory.
 */
const MAX_CHECKS_IN_FLIGHT = 4;
const RETRY_AFTER_S = 2;

/**
 * POST /api/image-check: an image URL checked the moment it is given, the way POST /api/tasks will check
 * it — fetched through the same safe fetcher (private addresses refused, size capped), judged by the same
 * contract rules on the real bytes, its picture data decoded — so the creator learns before Generate that
 * a host cannot be reached or which rule the picture breaks. Rule violations are the answer (200), not an
 * error: only a malformed request is a 400.
 */
export function imageCheckRoutes(deps: AppDeps) {
  let inFlight = 0;
  return new Hono().post('/', async (c) => {
    const body = await readJsonBody(c, BODY_LIMIT_BYTES);
    const parsed = imageCheckRequestSchema.safeParse(body);
    if (!parsed.success) throw validationError(violationsFromZod(parsed.error, body));
    const { url, field } = parsed.data;
    if (!isHttpUrl(url))
      throw validationError([
        { field, rule: 'image_url_scheme', message: `${fieldLabel(field)}: must be an http(s) URL` },
      ]);
    if (inFlight >= MAX_CHECKS_IN_FLIGHT) {
      c.header('retry-after', String(RETRY_AFTER_S));
      throw new StudioError(
        503,
        'busy',
        `The studio is checking other pictures. Try again in ${RETRY_AFTER_S} s.`,
      );
    }
    inFlight++;
    try {
      const answer = await checkImageUrl(url, field, deps.imageFetch);
      c.header('cache-control', 'no-store');
      return c.json(answer);
    } finally {
      inFlight--;
    }
  });
}

async function checkImageUrl(
  url: string,
  field: string,
  fetchOpts: AppDeps['imageFetch'],
): Promise<ImageCheck> {
  const { images, violations: fetched } = await collectImages({ [field]: url }, fetchOpts);
  const image = images[0];
  if (!image) return { facts: null, violations: fetched, thumbnail: null };
  const ruled = imageFactRules(field, image.facts, 'frame');
  // As create does: once the rules refuse the bytes, "cannot be read" about them adds nothing.
  const violations: Violation[] = ruled.length ? ruled : fetched;
  const readable = violations.every((v) => v.rule !== 'image_undecodable');
  const decodable = readable && withinDecodeLimits(violations);
  if (decodable && !(await intact(image))) violations.push(imageDamaged(field));
  const thumbnail =
    decodable && violations.every((v) => v.rule !== 'image_damaged') ? await thumbnailOf(image) : null;
  return { facts: image.facts, violations, thumbnail };
}

/** Rules after which nothing may decode the picture: not PNG/JPEG, a header without sizes, a bomb. */
const UNDECODABLE = new Set(['image_empty', 'image_format', 'image_unreadable', 'image_too_big']);
const withinDecodeLimits = (violations: Violation[]) => violations.every((v) => !UNDECODABLE.has(v.rule));

async function intact(image: CollectedImage): Promise<boolean> {
  const format = image.facts.format === 'jpeg' ? 'jpeg' : 'png';
  return isStructurallyIntact(image.bytes, format) && (await pictureDataIntact(image.bytes, format));
}

async function thumbnailOf(image: CollectedImage): Promise<string | null> {
  try {
    return `data:image/jpeg;base64,${(await makeThumbnail(image.bytes)).toString('base64')}`;
  } catch {
    return null;
  }
}
