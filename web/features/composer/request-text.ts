import {
  base64DecodedLength,
  decodeBase64Prefix,
  isHttpUrl,
  isWellFormedBase64,
} from '../../../contract/images/base64.ts';
import { sniffImage } from '../../../contract/images/sniff.ts';
import type { CreateRequest } from '../../../contract/schemas/create-request.ts';
import type { MotionControlRequest } from '../../../contract/schemas/motion-control-request.ts';
import { formatBytes } from '../../components/format.ts';

// A few dozen bytes are enough for a PNG header; JPEG's SOF may sit further in.
const HEAD_BYTES = 64 * 1024;
const HEAD_CHARS = Math.ceil(HEAD_BYTES / 3) * 4;

/** "<base64 PNG 1280×720, 245 KB>" for an image value; URLs stay as they are (they are what is sent). */
export function describeImageValue(value: string): string {
  // Only the head that is decoded is checked: scanning megabytes of base64 on every render would make
  // typing lag.
  if (isHttpUrl(value) || value.length % 4 !== 0 || !isWellFormedBase64(value.slice(0, HEAD_CHARS)))
    return value;
  const facts = sniffImage(decodeBase64Prefix(value, HEAD_BYTES), base64DecodedLength(value));
  const dims = facts.width > 0 ? ` ${facts.width}×${facts.height}` : '';
  return `<base64 ${facts.format.toUpperCase()}${dims}, ${formatBytes(facts.bytes)} — elided>`;
}

/** The request with every image value elided, for reading (not for sending). */
export function elideImages(req: CreateRequest): CreateRequest {
  const out: CreateRequest = { ...req };
  if (out.image) out.image = describeImageValue(out.image);
  if (out.image_tail) out.image_tail = describeImageValue(out.image_tail);
  if (out.static_mask) out.static_mask = describeImageValue(out.static_mask);
  if (out.dynamic_masks)
    out.dynamic_masks = out.dynamic_masks.map((m) => ({ ...m, mask: describeImageValue(m.mask) }));
  return out;
}

/** A motion-control body with its character picture elided; the clip is a ref or a URL already. */
export function elideMotionControlImage(req: MotionControlRequest): MotionControlRequest {
  return req.image_url ? { ...req, image_url: describeImageValue(req.image_url) } : req;
}

/**
 * A runnable curl for the studio's own API. The token is never copied: the header reads $APP_TOKEN
 * from the shell (needed only when the studio runs with APP_TOKEN).
 */
export function curlFor(
  req: CreateRequest | MotionControlRequest,
  origin: string,
  path: '/api/tasks' | '/api/motion-control' = '/api/tasks',
): string {
  const body = JSON.stringify(req, null, 2);
  return [
    `curl -X POST '${origin}${path}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H "Authorization: Bearer $APP_TOKEN" \\`,
    `  --data-binary @- <<'JSON'`,
    body,
    'JSON',
  ].join('\n');
}
