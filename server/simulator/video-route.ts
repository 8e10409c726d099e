import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

/**
 * Serves a rendered MP4 the way a CDN does, so `<video>` can seek and downloads can resume:
 * `Accept-Ranges: bytes`, one `bytes=` range per request → 206 with `Content-Range`, an unsatisfiable
 * range → 416 with `Content-Range: bytes *\/size`. Several ranges in one header are answered with the
 * first (a multipart reply is legal but no player needs it).
 */
export type ByteRange = { start: number; end: number };

/** Parses a Range header against a file size: a range, 'unsatisfiable', or undefined (serve it all). */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=\s*(\d*)-(\d*)\s*(?:,.*)?$/i.exec(header.trim());
  if (!m) return undefined; // a malformed Range is ignored (RFC 9110 §14.2)
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    // Suffix range: the last N bytes.
    const n = Number(b);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || (b !== '' && Number(b) < start)) return 'unsatisfiable';
  return { start, end };
}

export async function serveVideoFile(file: string, req: Request): Promise<Response> {
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a file');
    size = s.size;
  } catch {
    return new Response('Not Found', { status: 404 });
  }
  const headers = new Headers({
    'content-type': 'video/mp4',
    'accept-ranges': 'bytes',
    'cache-control': 'public, max-age=2592000', // Kling keeps results for 30 days
  });
  const range = parseRange(req.headers.get('range') ?? undefined, size);
  if (range === 'unsatisfiable') {
    headers.set('content-range', `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = size === 0 ? 0 : end - start + 1;
  headers.set('content-length', String(length));
  if (range) headers.set('content-range', `bytes ${start}-${end}/${size}`);
  const status = range ? 206 : 200;
  if (req.method === 'HEAD' || length === 0) return new Response(null, { status, headers });
  const stream = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(stream, { status, headers });
}
