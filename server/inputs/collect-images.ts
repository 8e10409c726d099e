import { hasDataPrefix, isHttpUrl, isWellFormedBase64 } from '../../contract/images/base64.ts';
import type { ImageFacts } from '../../contract/images/sniff.ts';
import { LIMITS } from '../../contract/limits.ts';
import { fieldLabel } from '../../contract/rules/field-labels.ts';
import type { Violation } from '../../contract/schemas/studio-api.ts';
import { SafeFetchError, type SafeFetchOptions, safeFetchBuffer } from '../lib/safe-fetch.ts';
import { inspectImage } from './image-facts.ts';
import { type IntegrityCheck, startIntegrityCheckEarly } from './image-integrity.ts';

/** One image field of a create request, with its real bytes. */
export interface CollectedImage {
  field: string;
  kind: 'frame' | 'mask';
  bytes: Buffer;
  facts: ImageFacts;
  source: 'base64' | 'url';
  url?: string;
  /** Started with the header read (collectImages' `checkEarly`), for assertImagesIntact to finish. */
  integrity?: IntegrityCheck;
}

/**
 * Image fields of an unparsed body. Read defensively (the body is not validated yet) so that even a
 * request with other problems gets its images checked, and the creator sees every problem at once.
 */
export type ImageField = { field: string; value: string; kind: 'frame' | 'mask' };

export function imageFieldsOf(body: unknown): ImageField[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const b = body as Record<string, unknown>;
  const out: { field: string; value: string; kind: 'frame' | 'mask' }[] = [];
  for (const [field, kind] of [
    ['image', 'frame'],
    ['image_tail', 'frame'],
    ['static_mask', 'mask'],
  ] as const)
    if (typeof b[field] === 'string' && b[field]) out.push({ field, value: b[field], kind });
  if (Array.isArray(b.dynamic_masks))
    b.dynamic_masks.slice(0, LIMITS.dynamicMasksMax).forEach((m: unknown, i) => {
      if (m && typeof m === 'object' && 'mask' in m && typeof m.mask === 'string' && m.mask)
        out.push({ field: `dynamic_masks[${i}].mask`, value: m.mask, kind: 'mask' });
    });
  return out;
}

/** A motion-control body's one image: the character picture, checked as image2video's start frame. */
export function motionControlImageFieldsOf(body: unknown): ImageField[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const value = (body as Record<string, unknown>).image_url;
  return typeof value === 'string' && value ? [{ field: 'image_url', value, kind: 'frame' }] : [];
}

/** Why a URL could not be fetched, in words that follow "the URL". */
export const FETCH_WORDS: Record<SafeFetchError['reason'], string> = {
  scheme: 'is not an http(s) URL the studio can fetch',
  blocked_address: 'points at a private, loopback or link-local address, which the studio does not fetch',
  dns: 'names a host that could not be found',
  too_large: `is larger than the ${LIMITS.imageMaxBytes / (1024 * 1024)} MB limit`,
  timeout: 'did not download in time',
  http_status: 'could not be downloaded',
  too_many_redirects: 'redirects too many times',
  network: 'could not be downloaded',
  write: 'could not be downloaded',
};

/**
 * Reads every image the request carries (decoding base64, downloading URLs through the safe fetcher) and
 * returns facts from the real bytes. Malformed strings are left to the shared rules, which name them.
 */
export async function collectImages(
  body: unknown,
  fetchOpts: Omit<SafeFetchOptions, 'maxBytes'>,
  fieldsOf: (body: unknown) => ImageField[] = imageFieldsOf,
  opts: { checkEarly?: boolean } = {},
): Promise<{ images: CollectedImage[]; violations: Violation[] }> {
  const violations: Violation[] = [];
  const results = await Promise.all(
    fieldsOf(body).map(async ({ field, value, kind }): Promise<CollectedImage | undefined> => {
      if (hasDataPrefix(value)) return undefined;
      let bytes: Buffer;
      let source: CollectedImage['source'] = 'base64';
      if (isHttpUrl(value)) {
        source = 'url';
        try {
          bytes = (await safeFetchBuffer(value, { ...fetchOpts, maxBytes: LIMITS.imageMaxBytes })).bytes;
        } catch (e) {
          const reason = e instanceof SafeFetchError ? e.reason : 'network';
          const detail = e instanceof SafeFetchError && reason === 'http_status' ? ` (${e.message})` : '';
          violations.push({
            field,
            rule: reason === 'too_large' ? 'image_too_large' : 'image_url_unusable',
            message: `${fieldLabel(field)}: the URL ${FETCH_WORDS[reason]}${detail}`,
          });
          return undefined;
        }
      } else if (isWellFormedBase64(value)) bytes = Buffer.from(value, 'base64');
      else return undefined;
      // Both go to the thread pool at once: the picture data is inflated while sharp reads the header.
      const integrity = opts.checkEarly ? startIntegrityCheckEarly(bytes) : undefined;
      const { facts, readable } = await inspectImage(bytes);
      if (!readable)
        violations.push({
          field,
          rule: 'image_undecodable',
          message: `${fieldLabel(field)}: the file looks like a ${facts.format.toUpperCase()} image but cannot be read`,
        });
      return {
        field,
        kind,
        bytes,
        facts,
        source,
        ...(source === 'url' ? { url: value } : {}),
        ...(integrity ? { integrity } : {}),
      };
    }),
  );
  return { images: results.filter((r): r is CollectedImage => r !== undefined), violations };
}
