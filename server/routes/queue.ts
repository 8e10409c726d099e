import { Hono } from 'hono';
import type { QueueState } from '../../contract/schemas/studio-api.ts';
import type { AppDeps } from './app-deps.ts';

/** GET /api/queue: tasks queued and running, Kling's slots (configured and learned) and today's budget. */
export function queueRoutes(deps: AppDeps) {
  return new Hono().get('/', async (c) => {
    const body: QueueState = {
      queued: await deps.store.countQueued(),
      running: await deps.store.countRunning(),
      slots: deps.dispatcher.slots(),
      budget: await deps.budget.state(),
    };
    c.header('cache-control', 'no-store');
    return c.json(body);
  });
}
