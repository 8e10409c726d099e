import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { StudioError } from '../lib/studio-error.ts';

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → an inclusive range, or 'invalid' / undefined (whole file). */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Multiple ranges are legal but no player needs them: answer the whole file instead.
  if (!m) return header.includes(',') ? undefined : 'invalid';
  const [, a, b] = m;
  if (a === '' && b === '') return 'invalid';
  let start: number;
  let end: number;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'invalid';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return { start, end };
}

/** A file answer with Range support (seeking in <video>), streamed from disk. */
export async function fileResponse(
  path: string,
  opts: {
    contentType: string;
    rangeHeader?: string;
    headers?: Record<string, string>;
    cacheControl?: string;
  },
): Promise<Response> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new StudioError(404, 'not_found', 'The file is not available');
  const size = info.size;
  const headers = new Headers({
    'content-type': opts.contentType,
    'accept-ranges': 'bytes',
    'cache-control': opts.cacheControl ?? 'private, max-age=3600',
    ...opts.headers,
  });
  const range = parseRange(opts.rangeHeader, size);
  if (range === 'invalid') {
    headers.set('content-range', `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  headers.set('content-length', String(size === 0 ? 0 : end - start + 1));
  if (range) headers.set('content-range', `bytes ${start}-${end}/${size}`);
  const body =
    size === 0
      ? null
      : (Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream<Uint8Array>);
  return new Response(body, { status: range ? 206 : 200, headers });
}
