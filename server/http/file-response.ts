import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { FileStorage } from '../files/file-storage.ts';
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

interface FileAnswerOptions {
  contentType: string;
  rangeHeader?: string;
  headers?: Record<string, string>;
  cacheControl?: string;
}

const notAvailable = () => new StudioError(404, 'not_found', 'The file is not available');

/** A file answer with Range support (seeking in <video>), streamed from disk. */
export async function fileResponse(path: string, opts: FileAnswerOptions): Promise<Response> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw notAvailable();
  return rangedResponse(info.size, opts, async (range) => createReadStream(path, range));
}

/**
 * The same answer for a key of the file storage: streamed from DATA_DIR, or from the bucket with a Range
 * GET of just the bytes asked for. Streamed rather than redirected to a presigned URL: the browser keeps one
 * origin, so the APP_TOKEN session cookie guards videos like every other route, the CSP needs no bucket
 * host, and any replica answers for any task without handing out links that outlive a logout.
 */
export async function storedFileResponse(
  files: FileStorage,
  key: string,
  opts: FileAnswerOptions,
): Promise<Response> {
  const info = await files.stat(key);
  if (!info) throw notAvailable();
  return rangedResponse(info.size, opts, async (range) => {
    const found = await files.read(key, range);
    // Removed between the two calls: the same answer as if it had been missing from the start.
    if (!found) throw notAvailable();
    return found.body;
  });
}

async function rangedResponse(
  size: number,
  opts: FileAnswerOptions,
  /** Always an explicit range (the whole file is 0…size-1), so the length sent is the length said. */
  open: (range: { start: number; end: number }) => Promise<Readable>,
): Promise<Response> {
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
  const body = size === 0 ? null : (Readable.toWeb(await open({ start, end })) as ReadableStream<Uint8Array>);
  return new Response(body, { status: range ? 206 : 200, headers });
}
