import { Hono } from 'hono';
import type { z } from 'zod';
import { violationsFromZod } from '../../contract/rules/schema-issues.ts';
import {
  BAD_CURSOR_MESSAGE,
  type TaskList,
  taskListQuerySchema,
  type Violation,
} from '../../contract/schemas/studio-api.ts';
import { createBatch } from '../create/create-batch.ts';
import { createTask } from '../create/create-task.ts';
import { readJsonBody } from '../http/read-json-body.ts';
import { notFound, validationError } from '../lib/studio-error.ts';
import { cancelTask, moveToFront } from '../queue/queue-actions.ts';
import { BadCursor } from '../tasks/store-errors.ts';
import { toStudioTask } from '../tasks/task-record.ts';
import type { AppDeps } from './app-deps.ts';
import { createBodyGate, createTaskDeps, creatorOf } from './create-deps.ts';

/** A cursor the server did not make, told in the contract's words (the browser shows the same). */
const CURSOR_VIOLATION: Violation = { field: 'cursor', rule: 'cursor', message: BAD_CURSOR_MESSAGE };

/** The query's problems by field; a bad cursor in the contract's own words rather than zod's. */
function listQueryViolations(error: z.ZodError, query: Record<string, string>): Violation[] {
  return violationsFromZod(error, query).map((v) => (v.field === 'cursor' ? CURSOR_VIOLATION : v));
}

/**
 * POST /api/tasks (one task), POST /api/tasks/batch (takes, or one task per start frame), GET /api/tasks,
 * GET /api/tasks/:id, and the queue's POST /api/tasks/:id/cancel and /move-to-front. Creates answer at
 * once with the task(s) `queued`; a waiting task carries its place in the queue.
 */
export function taskRoutes(deps: AppDeps) {
  const gate = createBodyGate(deps);
  return new Hono()
    .post('/', async (c) => {
      const who = creatorOf(c, deps);
      // Refused before a byte of the body is read: a client over its limit costs no upload. createTask
      // asks the guard again together with the insert, which is what makes the count exact.
      await deps.guard.check(who.peer);
      const body = await readJsonBody(c, deps.config.bodyLimitBytes, { gate });
      const task = await createTask(createTaskDeps(deps), body, who);
      return c.json({ task }, 201);
    })
    .post('/batch', async (c) => {
      const who = creatorOf(c, deps);
      await deps.guard.check(who.peer);
      const body = await readJsonBody(c, deps.config.bodyLimitBytes, { gate });
      return c.json(await createBatch(createTaskDeps(deps), body, who), 201);
    })
    .get('/', async (c) => {
      const query = c.req.query();
      const parsed = taskListQuerySchema.safeParse(query);
      if (!parsed.success) throw validationError(listQueryViolations(parsed.error, query));
      const { pageSize, status, cursor } = parsed.data;
      // Keyset paging: the same cost at the millionth task as at the first, and nothing is counted.
      const { records, nextCursor } = await deps.store
        .list({ limit: pageSize, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) })
        .catch((e: unknown) => {
          if (e instanceof BadCursor) throw validationError([CURSOR_VIOLATION]);
          throw e;
        });
      const body: TaskList = {
        tasks: await Promise.all(records.map(async (r) => toStudioTask(r, await deps.dispatcher.placeOf(r)))),
        pageSize,
        nextCursor,
      };
      c.header('cache-control', 'no-store');
      return c.json(body);
    })
    .get('/:id', async (c) => {
      const record = await deps.store.get(c.req.param('id'));
      if (!record) throw notFound();
      c.header('cache-control', 'no-store');
      return c.json({ task: toStudioTask(record, await deps.dispatcher.placeOf(record)) });
    })
    .post('/:id/cancel', async (c) => c.json({ task: await cancelTask(deps, c.req.param('id')) }))
    .post('/:id/move-to-front', async (c) => c.json({ task: await moveToFront(deps, c.req.param('id')) }));
}
