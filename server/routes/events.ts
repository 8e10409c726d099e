import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import type { AppDeps } from './app-deps.ts';

/** A watcher that stops reading is dropped rather than buffering without bound. */
const MAX_QUEUED = 500;

/**
 * GET /api/events: Server-Sent Events, `event: task` with `{task}` on every stored change, a comment line
 * as heartbeat (keeps proxies from closing an idle stream). Watching costs no upstream call: the stream
 * only listens to the tracker's bus.
 */
export function eventRoutes(deps: AppDeps) {
  return new Hono().get('/', (c) => {
    c.header('cache-control', 'no-store');
    c.header('x-accel-buffering', 'no');
    return streamSSE(c, async (stream) => {
      const queue: StudioTask[] = [];
      let wake: (() => void) | undefined;
      let closed = false;
      const unsubscribe = deps.events.subscribe((task) => {
        if (queue.length >= MAX_QUEUED) closed = true;
        else queue.push(task);
        wake?.();
      });
      stream.onAbort(() => {
        closed = true;
        wake?.();
      });
      try {
        // A first line at once: the client knows it is subscribed (tests submit only after this).
        await stream.write(': connected\n\n');
        while (!closed && !stream.aborted) {
          const task = queue.shift();
          if (task) {
            await stream.writeSSE({
              event: 'task',
              data: JSON.stringify({ task }),
              id: `${task.id}:${task.updatedAt}`,
            });
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
          if (idle && !closed) await stream.write(': heartbeat\n\n');
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
