import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import { clientIdOf } from '../http/client-id.ts';
import type { Logger } from '../lib/logger.ts';
import { StudioError } from '../lib/studio-error.ts';
import type { AppDeps } from './app-deps.ts';

/** Events a stream may have waiting; one more and the stream is dropped rather than buffering without bound. */
const MAX_QUEUED = 500;
/** A write still pending after this many heartbeats means the client stopped reading: the stream is dropped. */
const STALLED_HEARTBEATS = 4;
/** What a client turned away at the cap is told: Retry-After in seconds, and the SSE `retry:` field. */
const RETRY_AFTER_S = 5;

/**
 * node-server replaces the global Response with a lighter one it answers from a cache of its own, and that
 * path ignores the already-sent mark: the mark only holds on a genuine Response, of the class node-server's
 * own marker was made with (before the swap).
 */
const GenuineResponse = RESPONSE_ALREADY_SENT.constructor as typeof Response;

const CONNECTED = Buffer.from(': connected\n\n');
const HEARTBEAT = Buffer.from(': heartbeat\n\n');

/**
 * GET /api/events: Server-Sent Events, `event: task` with `{task}` on every stored change, a comment line
 * as heartbeat (keeps proxies from closing an idle stream). Watching costs no upstream call: the stream
 * only listens to the tracker's bus.
 *
 * Each stream holds a socket (a file descriptor) for as long as it lives, so streams are capped per client
 * address and in total, and a stream whose client stops reading is dropped — its connection reset, not
 * left to drain into a client that never reads.
 *
 * Thousands of streams hear every change, so a delivery is kept to one `write` on the Node response: the
 * event is serialised once per publish (every stream gets the same bytes) and there is no web stream, no
 * per-stream loop and no timer per write in between. One heartbeat timer serves all streams.
 */
export function eventRoutes(deps: AppDeps) {
  const { perClient, total } = deps.config.sseLimits;
  const heartbeatMs = deps.config.sseHeartbeatMs;
  const stalledMs = STALLED_HEARTBEATS * heartbeatMs;
  const byClient = new Map<string, number>();
  // A slot is taken when the request is accepted, before its stream exists, so a burst cannot overshoot.
  let open = 0;
  const live = new Set<EventStream>();
  const encode = encodedOncePerPublish();
  let heartbeat: NodeJS.Timeout | undefined;

  const opened = (s: EventStream) => {
    live.add(s);
    if (heartbeat) return;
    heartbeat = setInterval(() => {
      for (const stream of live) stream.heartbeat();
    }, heartbeatMs);
    heartbeat.unref();
  };
  const closed = (s: EventStream) => {
    live.delete(s);
    if (live.size > 0 || !heartbeat) return;
    clearInterval(heartbeat);
    heartbeat = undefined;
  };

  return new Hono().get('/', (c) => {
    const res = nodeResponseOf(c);
    if (!res)
      throw new StudioError(500, 'no_node_response', 'Live updates need the Node server (@hono/node-server)');
    const client = clientIdOf(c, deps.config.trustProxy);
    const mine = byClient.get(client) ?? 0;
    if (mine >= perClient)
      return refuse(
        c,
        `This browser already has ${perClient} live-update streams open (the limit per client). Close some studio tabs, or try again in ${RETRY_AFTER_S} s.`,
      );
    if (open >= total)
      return refuse(
        c,
        `The studio has ${total} live-update streams open (its limit). Try again in ${RETRY_AFTER_S} s.`,
      );
    open++;
    byClient.set(client, mine + 1);
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      open--;
      const left = (byClient.get(client) ?? 1) - 1;
      if (left > 0) byClient.set(client, left);
      else byClient.delete(client);
    };

    // The head is written once the middleware has finished with the answer (security headers are added
    // after the handler returns): node-server sends nothing for an answer marked already sent, and this
    // runs after the whole chain's continuations have.
    // Listened for at once: a client gone before its stream opened still gives back its slot.
    let stream: EventStream | undefined;
    let unsubscribe: (() => void) | undefined;
    res.once('close', () => {
      if (stream) {
        stream.close();
        closed(stream);
      }
      unsubscribe?.();
      release();
    });
    setImmediate(() => {
      if (!counted || res.destroyed) return;
      if (res.headersSent) {
        deps.log.warn('an event stream was answered before it opened', { client });
        return release();
      }
      res.writeHead(200, headersOf(c.res.headers));
      const s = openEventStream(res, { stalledMs, log: deps.log, client });
      stream = s;
      unsubscribe = deps.events.subscribe((task) => s.send(encode(task)));
      opened(s);
    });
    return new GenuineResponse(null, {
      headers: {
        ...Object.fromEntries(RESPONSE_ALREADY_SENT.headers),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      },
    });
  });
}

interface EventStream {
  send(bytes: Buffer): void;
  /** A comment if nothing was written since the last heartbeat (an idle stream stays open through proxies). */
  heartbeat(): void;
  close(): void;
}

/**
 * One client's stream, written straight to its Node response. While the socket's buffer is over its mark
 * (`write` answered false), events wait in a queue of their own until 'drain'; a queue that fills up, or a
 * buffer that does not drain within `stalledMs`, is a client that stopped reading, and the stream is dropped.
 */
function openEventStream(
  res: ServerResponse,
  o: { stalledMs: number; log: Logger; client: string },
): EventStream {
  let waiting: Buffer[] | undefined;
  let stall: NodeJS.Timeout | undefined;
  let wroteSinceHeartbeat = false;
  let closed = false;

  const close = () => {
    closed = true;
    waiting = undefined;
    if (stall) clearTimeout(stall);
    stall = undefined;
    res.off('drain', drained);
  };
  const drop = (why: string) => {
    if (closed) return;
    close();
    o.log.info('dropped an event stream: its client stopped reading', { client: o.client, why });
    resetConnection(res);
  };
  const write = (bytes: Buffer) => {
    wroteSinceHeartbeat = true;
    if (res.write(bytes)) return;
    waiting = [];
    stall = setTimeout(() => drop('a write stayed pending'), o.stalledMs);
    stall.unref();
  };
  function drained() {
    if (closed || !waiting) return;
    clearTimeout(stall);
    stall = undefined;
    const queued = waiting;
    waiting = undefined;
    for (let i = 0; i < queued.length; i++) {
      write(queued[i]!);
      if (waiting) {
        // Over the mark again: the rest waits for the next 'drain', in order.
        waiting = queued.slice(i + 1);
        return;
      }
    }
  }
  res.on('drain', drained);

  // A first line at once: the client knows it is subscribed (tests submit only after this).
  write(CONNECTED);
  return {
    send(bytes) {
      if (closed || res.destroyed) return;
      if (!waiting) write(bytes);
      else if (waiting.length >= MAX_QUEUED) drop('its queue is full');
      else waiting.push(bytes);
    },
    heartbeat() {
      if (!closed && !waiting && !wroteSinceHeartbeat && !res.destroyed) write(HEARTBEAT);
      wroteSinceHeartbeat = false;
    },
    close,
  };
}

/**
 * The bus hands every stream the same task object, one stream after another: serialising the last one
 * seen once serves them all.
 */
function encodedOncePerPublish(): (task: StudioTask) => Buffer {
  let last: StudioTask | undefined;
  let bytes = Buffer.alloc(0);
  return (task) => {
    if (task !== last) {
      last = task;
      bytes = Buffer.from(sseEvent('task', JSON.stringify({ task }), `${task.id}:${task.updatedAt}`));
    }
    return bytes;
  };
}

/** One SSE message; `data` may hold newlines (each line its own `data:` field), `id` may not. */
function sseEvent(event: string, data: string, id: string): string {
  if (/[\r\n]/.test(id)) throw new Error('an SSE id must not contain a line break');
  const lines = data
    .split(/\r\n|\r|\n/)
    .map((l) => `data: ${l}`)
    .join('\n');
  return `event: ${event}\n${lines}\nid: ${id}\n\n`;
}

function nodeResponseOf(c: Context): ServerResponse | undefined {
  return (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
}

/** The answer's headers as the Node response takes them, without node-server's already-sent marker. */
function headersOf(headers: Headers): Record<string, string | string[]> {
  const marker = new Set(RESPONSE_ALREADY_SENT.headers.keys());
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of headers) if (!marker.has(name) && name !== 'set-cookie') out[name] = value;
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  return out;
}

/**
 * 503 with Retry-After, and a body an EventSource understands: `retry:` (ms), then the usual error JSON as
 * an `error` event. (Browsers do not reconnect after a 503 by themselves; the studio's client retries with
 * backoff and polls meanwhile.)
 */
function refuse(c: Context, message: string): Response {
  const error = new StudioError(503, 'too_many_streams', message).toBody();
  return c.body(`retry: ${RETRY_AFTER_S * 1000}\nevent: error\ndata: ${JSON.stringify(error)}\n\n`, 503, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'retry-after': String(RETRY_AFTER_S),
  });
}

/**
 * Resets the stream's TCP connection: a plain close would wait for the client to read what is still
 * buffered for it (it never will), keeping the socket and its kernel buffers.
 */
function resetConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket || socket.destroyed) {
    res.destroy();
    return;
  }
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}
