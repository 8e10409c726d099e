import type { Context } from 'hono';
import { StudioError } from '../lib/studio-error.ts';

/** Deeper than any create request needs (it nests 3 levels); a 10 000-deep body is refused unparsed. */
export const MAX_JSON_DEPTH = 32;

/**
 * Reads a JSON body with the byte limit enforced while streaming: a declared Content-Length over the limit
 * is refused before a byte is read, a chunked body the moment it crosses the limit. Only then is the text
 * scanned for nesting depth and parsed.
 */
export async function readJsonBody(
  c: Context,
  limitBytes: number,
  opts: { anyContentType?: boolean } = {},
): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  // Also a CSRF guard: a cross-site form or no-cors fetch cannot send application/json without a preflight.
  if (!opts.anyContentType && !/^application\/json\b/i.test(type))
    throw new StudioError(
      415,
      'unsupported_media_type',
      'Send the request as JSON (Content-Type: application/json)',
    );
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  const body = c.req.raw.body;
  if (!body) throw new StudioError(400, 'invalid_json', 'The request body is empty');
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limitBytes);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH))
    throw new StudioError(400, 'invalid_json', `The JSON is nested more than ${MAX_JSON_DEPTH} levels deep`);
  try {
    return JSON.parse(text);
  } catch {
    throw new StudioError(400, 'invalid_json', 'The request body is not valid JSON');
  }
}

function tooLarge(limit: number): StudioError {
  return new StudioError(
    413,
    'payload_too_large',
    `The request is larger than ${Math.round(limit / (1024 * 1024))} MB. Use smaller images (each at most 10 MB).`,
  );
}

/** Bracket depth outside strings, in one pass without recursion. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 /* { */ || ch === 91 /* [ */) {
      if (++depth > max) return true;
    } else if (ch === 125 || ch === 93) depth--;
  }
  return false;
}
