import { isAscii } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { StudioError } from '../lib/studio-error.ts';

/** Deeper than any create request needs (it nests 3 levels); a 10 000-deep body is refused unparsed. */
export const MAX_JSON_DEPTH = 32;

/** Seconds a client turned away by a full BodyGate is asked to wait: a body takes seconds to arrive. */
export const BODY_GATE_RETRY_AFTER_S = 5;

/**
 * How many bodies are being read at once. Each one being read holds what it sent so far (up to the body
 * limit) for as long as its client takes, so without a cap a few dozen stalled uploads hold gigabytes.
 */
export class BodyGate {
  private active = 0;

  constructor(readonly max: number) {}

  /** A slot, released by the returned function (once), or a 503 StudioError when all are taken. */
  enter(): () => void {
    if (this.active >= this.max)
      throw new StudioError(
        503,
        'busy',
        `The studio is receiving ${this.max} other uploads right now. Try again in ${BODY_GATE_RETRY_AFTER_S} s.`,
      );
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
    };
  }
}

export interface ReadBodyOptions {
  anyContentType?: boolean;
  /** The body takes a slot while it is read; none free → 503 with Retry-After, nothing read. */
  gate?: BodyGate;
}

/**
 * Reads a JSON body with the byte limit enforced while streaming: a declared Content-Length over the limit
 * is refused before a byte is read, a chunked body the moment it crosses the limit. Only then is the text
 * scanned for nesting depth and parsed.
 *
 * Memory: a create carries up to ~48 MB of base64, so the bytes are copied as few times as possible (see
 * BodySink), then parsed by parseJsonBytes, which copies long strings out once and never makes a text of
 * the whole body.
 */
export async function readJsonBody(
  c: Context,
  limitBytes: number,
  opts: ReadBodyOptions = {},
): Promise<unknown> {
  return parseJsonBytes(await readBodyBytes(c, limitBytes, opts), MAX_JSON_DEPTH);
}

/** readJsonBody's bytes, unparsed (a signed callback is verified over them before it is parsed). */
export async function readBodyBytes(
  c: Context,
  limitBytes: number,
  opts: ReadBodyOptions = {},
): Promise<Buffer> {
  const type = c.req.header('content-type') ?? '';
  // Also a CSRF guard: a cross-site form or no-cors fetch cannot send application/json without a preflight.
  if (!opts.anyContentType && !/^application\/json\b/i.test(type))
    throw new StudioError(
      415,
      'unsupported_media_type',
      'Send the request as JSON (Content-Type: application/json)',
    );
  const header = c.req.header('content-length');
  const declared = header === undefined || header === '' ? Number.NaN : Number(header);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  let release: (() => void) | undefined;
  try {
    release = opts.gate?.enter();
  } catch (e) {
    c.header('retry-after', String(BODY_GATE_RETRY_AFTER_S));
    throw e;
  }
  try {
    const sink = new BodySink(
      limitBytes,
      Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined,
    );
    const incoming = nodeIncoming(c);
    if (incoming) await readIncoming(incoming, sink);
    else await readWebStream(c.req.raw.body, sink);
    const bytes = sink.take();
    if (bytes.length === 0) throw new StudioError(400, 'invalid_json', 'The request body is empty');
    return bytes;
  } finally {
    // Parsing follows synchronously, before another body's bytes can arrive.
    release?.();
  }
}

/** String values from this many bytes on are taken out of the text before JSON.parse (see below). */
export const LIFT_MIN_BYTES = 256 * 1024;
/** Anything JSON.parse would not read verbatim inside a string: quote, backslash, controls, non-ASCII. */
const NOT_VERBATIM = /[^\u0020\u0021\u0023-\u005b\u005d-\u007e]/;

/**
 * Parses JSON bytes (depth-checked first). A body with a 12 MB base64 image would otherwise exist three
 * times at once — the bytes, their text, and the string JSON.parse copies out of that text. Instead, long
 * string values made only of characters JSON keeps verbatim (base64 always is) are lifted straight from
 * the bytes into their own strings, and only the small skeleton around them — each replaced by a
 * placeholder string — is decoded and parsed; the placeholders are then swapped back. Placeholders carry a
 * random marker, so no string a client sends can be mistaken for one, and a placeholder is always a whole
 * string token, so the skeleton parses exactly when the original does.
 */
export function parseJsonBytes(bytes: Buffer, maxDepth: number): unknown {
  const lifted: string[] = [];
  const marker = bytes.length >= LIFT_MIN_BYTES ? randomUUID() : '';
  let text = '';
  if (marker) {
    const pieces: string[] = [];
    let at = 0;
    for (const [start, end] of longStringValues(bytes)) {
      const value = bytes.toString('latin1', start, end);
      if (NOT_VERBATIM.test(value)) continue;
      pieces.push(decode(bytes, at, start), `${marker}:${lifted.length}`);
      lifted.push(value);
      at = end;
    }
    if (lifted.length) text = pieces.join('') + decode(bytes, at, bytes.length);
  }
  if (!lifted.length) text = decode(bytes, 0, bytes.length);
  if (jsonDepthExceeds(text, maxDepth))
    throw new StudioError(400, 'invalid_json', `The JSON is nested more than ${maxDepth} levels deep`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StudioError(400, 'invalid_json', 'The request body is not valid JSON');
  }
  if (!lifted.length) return parsed;
  const prefix = `${marker}:`;
  const restore = (v: unknown): unknown => {
    if (typeof v === 'string')
      return v.startsWith(prefix) ? (lifted[Number(v.slice(prefix.length))] ?? v) : v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = restore(v[i]);
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const r = restore(o[k]);
        if (r !== o[k]) o[k] = r;
      }
    }
    return v;
  };
  return restore(parsed);
}

/** ASCII (the common case) decodes as latin1: the same characters, less work. */
function decode(bytes: Buffer, start: number, end: number): string {
  const part = bytes.subarray(start, end);
  return isAscii(part) ? part.toString('latin1') : part.toString('utf8');
}

/**
 * [start, end) of the contents of string tokens at least LIFT_MIN_BYTES long that are values, not keys,
 * found by hopping from quote to quote with indexOf. In valid JSON every quote outside a string opens one;
 * in invalid JSON the hops may go astray, which is harmless: a lifted region is always re-checked to be
 * verbatim text and replaced by a whole string token, so the skeleton still fails to parse.
 */
function* longStringValues(bytes: Buffer): Generator<[number, number]> {
  let pos = 0;
  for (;;) {
    const open = bytes.indexOf(0x22, pos);
    if (open < 0) return;
    let close = open;
    for (;;) {
      close = bytes.indexOf(0x22, close + 1);
      if (close < 0) return; // unterminated: JSON.parse will say so
      let b = close - 1;
      while (bytes[b] === 0x5c) b--;
      if ((close - 1 - b) % 2 === 0) break;
    }
    pos = close + 1;
    if (close - open - 1 < LIFT_MIN_BYTES) continue;
    let next = pos;
    while (
      next < bytes.length &&
      (bytes[next] === 0x20 || bytes[next] === 0x0a || bytes[next] === 0x0d || bytes[next] === 0x09)
    )
      next++;
    if (bytes[next] === 0x3a /* : */) continue; // a key
    yield [open + 1, close];
  }
}

/**
 * The request's bytes. Chunks are kept as they come until half the declared Content-Length has arrived;
 * only then is one buffer of the declared length allocated (the HTTP parser never delivers more), the
 * chunks copied in and the rest written straight into it, so a full body is never concatenated. A sink
 * thus holds at most about twice what its client really sent: a client that declares 48 MB and stalls
 * costs what it sent, not what it announced. Without a declared length: one concat at the end.
 */
export class BodySink {
  private buf: Buffer | undefined;
  private chunks: Uint8Array[] = [];
  private total = 0;
  /** The declared-length buffer is made once; a body over its length goes on as chunks. */
  private grown = false;

  constructor(
    readonly limit: number,
    private readonly declared: number | undefined,
  ) {}

  /** False once the body crossed the limit: stop reading. */
  push(chunk: Uint8Array): boolean {
    const end = this.total + chunk.byteLength;
    if (end > this.limit) return false;
    if (this.buf && end <= this.buf.length) this.buf.set(chunk, this.total);
    else {
      // More than declared (not possible over HTTP/1.1): back to a chunk list.
      if (this.buf) {
        this.chunks.push(this.buf.subarray(0, this.total));
        this.buf = undefined;
      }
      this.chunks.push(chunk);
      if (this.declared && !this.grown && end * 2 >= this.declared && end <= this.declared) {
        this.buf = Buffer.allocUnsafeSlow(this.declared);
        let at = 0;
        for (const c of this.chunks) {
          this.buf.set(c, at);
          at += c.byteLength;
        }
        this.chunks = [];
        this.grown = true;
      }
    }
    this.total = end;
    return true;
  }

  /** Bytes this sink holds now: what its client costs while it is being read. */
  get heldBytes(): number {
    return this.buf ? this.buf.length : this.chunks.reduce((n, c) => n + c.byteLength, 0);
  }

  /** The bytes received; the sink lets go of them. */
  take(): Buffer {
    const bytes = this.buf ? this.buf.subarray(0, this.total) : Buffer.concat(this.chunks, this.total);
    this.buf = undefined;
    this.chunks = [];
    return bytes;
  }
}

/** The Node request behind Hono's (served by @hono/node-server); absent under `app.request()` in tests. */
function nodeIncoming(c: Context): Readable | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  return incoming instanceof Readable && !incoming.readableDidRead ? incoming : undefined;
}

/**
 * Reads the Node stream directly: no web-stream wrapper and its per-chunk promises. On crossing the limit
 * it stops reading but does not destroy the request, so the 413 can still be sent (the server adapter
 * drains or closes what is left once the answer is out).
 */
function readIncoming(incoming: Readable, sink: BodySink): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: unknown) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onData = (chunk: Buffer) => {
      if (!sink.push(chunk)) {
        incoming.pause();
        done(tooLarge(sink.limit));
      }
    };
    const onEnd = () => done();
    // A request stream only errs when the connection broke: the client is gone.
    const onError = () => done(cutOff());
    const onClose = () => {
      if (!incoming.readableEnded) done(cutOff());
    };
    if (incoming.readableEnded) return resolve();
    if (incoming.destroyed) return reject(cutOff());
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

async function readWebStream(body: ReadableStream<Uint8Array> | null, sink: BodySink): Promise<void> {
  if (!body) return;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    if (!sink.push(value)) {
      await reader.cancel().catch(() => {});
      throw tooLarge(sink.limit);
    }
  }
}

function cutOff(): StudioError {
  return new StudioError(400, 'invalid_json', 'The request body was cut off before its end');
}

function tooLarge(limit: number): StudioError {
  return new StudioError(
    413,
    'payload_too_large',
    `The request is larger than ${Math.round(limit / (1024 * 1024))} MB. Use smaller images (each at most 10 MB).`,
  );
}

/**
 * Bracket depth outside strings, in one pass without recursion. Strings are skipped with indexOf (native,
 * fast) rather than character by character: a 12 MB base64 image costs about a millisecond, not twenty.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      // The closing quote is the next one not escaped, i.e. not preceded by an odd run of backslashes.
      for (;;) {
        const q = text.indexOf('"', i + 1);
        if (q < 0) return false; // unterminated: JSON.parse refuses it
        let b = q - 1;
        while (text.charCodeAt(b) === 92 /* \ */) b--;
        i = q;
        if ((q - 1 - b) % 2 === 0) break;
      }
    } else if (ch === 123 /* { */ || ch === 91 /* [ */) {
      if (++depth > max) return true;
    } else if (ch === 125 || ch === 93) depth--;
  }
  return false;
}
