import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import { clientIdOf } from '../http/client-id.ts';
import { StudioError } from '../lib/studio-error.ts';
import type { AppDeps } from './app-deps.ts';

/** Events a stream may have waiting; one more and the stream is dropped rather than buffering without bound. */
const MAX_QUEUED = 500;
/** A write still pending after this many heartbeats means the client stopped reading: the stream is dropped. */
const STALLED_HEARTBEATS = 4;
/** What a client turned away at the cap is told: Retry-After in seconds, and the SSE `retry:` field. */
const RETRY_AFTER_S = 5;

/**
 * GET /api/events: Server-Sent Events, `event: task` with `{task}` on every stored change, a comment line
 * as heartbeat (keeps proxies from closing an idle stream). Watching costs no upstream call: the stream
 * only listens to the tracker's bus.
 *
 * Each stream holds a socket (a file descriptor) for as long as it lives, so streams are capped per client
 * address and in total, and a stream whose client stops reading is dropped — its connection reset, not
 * left to drain into a client that never reads.
 */
export function eventRoutes(deps: AppDeps) {
  const { perClient, total } = deps.config.sseLimits;
  const stalledMs = STALLED_HEARTBEATS * deps.config.sseHeartbeatMs;
  const byClient = new Map<string, number>();
  let open = 0;

  return new Hono().get('/', (c) => {
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

    c.header('cache-control', 'no-store');
    c.header('x-accel-buffering', 'no');
    return streamSSE(c, async (stream) => {
      const queue: StudioTask[] = [];
      let wake: (() => void) | undefined;
      let closed = false;
      const drop = (why: string) => {
        if (closed) return;
        closed = true;
        deps.log.info('dropped an event stream: its client stopped reading', { client, why });
        resetConnection(c);
        // Without a socket (app.request in tests) this is what ends a pending write.
        stream.abort();
        wake?.();
      };
      /** A write that does not complete in time is a client that stopped reading. */
      const write = async (send: () => Promise<unknown>) => {
        const timer = setTimeout(() => drop('a write stayed pending'), stalledMs);
        try {
          await send();
        } finally {
          clearTimeout(timer);
        }
      };
      const unsubscribe = deps.events.subscribe((task) => {
        if (closed) return;
        if (queue.length >= MAX_QUEUED) drop('its queue is full');
        else queue.push(task);
        wake?.();
      });
      stream.onAbort(() => {
        closed = true;
        wake?.();
      });
      try {
        // A first line at once: the client knows it is subscribed (tests submit only after this).
        await write(() => stream.write(': connected\n\n'));
        while (!closed && !stream.aborted) {
          const task = queue.shift();
          if (task) {
            await write(() =>
              stream.writeSSE({
                event: 'task',
                data: JSON.stringify({ task }),
                id: `${task.id}:${task.updatedAt}`,
              }),
            );
            continue;
          }
          const idle = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(true), deps.config.sseHeartbeatMs);
            wake = () => {
              clearTimeout(timer);
              resolve(false);
            };
          });
          wake = undefined;
          if (idle && !closed) await write(() => stream.write(': heartbeat\n\n'));
        }
      } finally {
        unsubscribe();
        release();
      }
    });
  });
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
function resetConnection(c: Context): void {
  const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
  if (!socket || socket.destroyed) return;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}
