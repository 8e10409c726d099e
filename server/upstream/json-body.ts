import { randomUUID } from 'node:crypto';

/**
 * A JSON request body for fetch, built without a second full copy of its big strings.
 *
 * `JSON.stringify` of a create with a 12 MB base64 image makes a 12 MB string, and fetch then encodes it
 * into another 12 MB buffer; with eight such creates in flight that is ~200 MB for bytes the studio already
 * holds once (the parsed request). Here every string long enough to matter, and made only of characters
 * JSON writes as they are (base64 always is), is left out of the stringified skeleton and streamed from
 * the original string in small latin1-encoded slices; the exact length goes in Content-Length. Small
 * bodies stay a plain string.
 */
export interface JsonBody {
  /** UTF-8 byte length of the JSON text. */
  readonly length: number;
  /** A fresh body for one send (a retry sends another). */
  body(): string | ReadableStream<Uint8Array>;
}

/** Strings from this length on are streamed from where they are. */
export const STREAM_MIN_CHARS = 256 * 1024;
const SLICE_CHARS = 256 * 1024;
/** Any character that JSON.stringify would not write verbatim in one byte: quote, backslash, controls, non-ASCII. */
const NOT_VERBATIM = /[^\u0020\u0021\u0023-\u005b\u005d-\u007e]/;

export function jsonBody(value: unknown): JsonBody {
  const big: string[] = [];
  // A fresh marker per body: a creator's own string can never be mistaken for one.
  const marker = randomUUID();
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'string' && v.length >= STREAM_MIN_CHARS && !NOT_VERBATIM.test(v)) {
      big.push(v);
      return `${marker}:${big.length - 1}`;
    }
    return v;
  });
  if (text === undefined) throw new TypeError('the body is not JSON-serialisable');
  if (big.length === 0) return { length: Buffer.byteLength(text), body: () => text };

  // Skeleton pieces (bytes) and big strings, in order; each placeholder's quotes are kept around its string.
  const parts: (Buffer | string)[] = [];
  let at = 0;
  big.forEach((s, i) => {
    const quoted = `"${marker}:${i}"`;
    const pos = text.indexOf(quoted, at);
    if (pos < 0) throw new Error('json-body: placeholder not found');
    parts.push(Buffer.from(text.slice(at, pos + 1)), s);
    at = pos + quoted.length - 1;
  });
  parts.push(Buffer.from(text.slice(at)));
  const length = parts.reduce((n, p) => n + p.length, 0);
  return { length, body: () => partsStream(parts) };
}

function partsStream(parts: readonly (Buffer | string)[]): ReadableStream<Uint8Array> {
  let i = 0;
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const part = parts[i];
      if (part === undefined) return controller.close();
      if (typeof part !== 'string') {
        i++;
        return controller.enqueue(part);
      }
      // A slice of a flat string is a view, not a copy; only the 256 KB being sent is encoded.
      controller.enqueue(Buffer.from(part.slice(offset, offset + SLICE_CHARS), 'latin1'));
      offset += SLICE_CHARS;
      if (offset >= part.length) {
        i++;
        offset = 0;
      }
    },
  });
}
