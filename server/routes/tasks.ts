import { Hono } from 'hono';
import { violationsFromZod } from '../../contract/rules/schema-issues.ts';
import { type TaskList, taskListQuerySchema } from '../../contract/schemas/studio-api.ts';
import { createTask } from '../create/create-task.ts';
import { clientIdOf } from '../http/client-id.ts';
import { readJsonBody } from '../http/read-json-body.ts';
import { notFound, validationError } from '../lib/studio-error.ts';
import { toStudioTask } from '../tasks/task-record.ts';
import type { AppDeps } from './app-deps.ts';
import { createBodyGate, createTaskDeps } from './create-deps.ts';

/** POST /api/tasks, GET /api/tasks, GET /api/tasks/:id. */
export function taskRoutes(deps: AppDeps) {
  const gate = createBodyGate(deps);
  return new Hono()
    .post('/', async (c) => {
      const clientId = clientIdOf(c);
      // Refused before a byte of the body is read: a client over its limit costs no upload. createTask
      // asks the guard again together with the insert, which is what makes the count exact.
      deps.guard.check(clientId);
      const body = await readJsonBody(c, deps.config.bodyLimitBytes, { gate });
      const task = await createTask(createTaskDeps(deps), body, clientId);
      return c.json({ task }, 201);
    })
    .get('/', (c) => {
      const parsed = taskListQuerySchema.safeParse(c.req.query());
      if (!parsed.success) throw validationError(violationsFromZod(parsed.error, c.req.query()));
      const { page, pageSize, status } = parsed.data;
      const { records, total } = deps.store.list({ page, pageSize, ...(status ? { status } : {}) });
      const body: TaskList = { tasks: records.map(toStudioTask), page, pageSize, total };
      c.header('cache-control', 'no-store');
      return c.json(body);
    })
    .get('/:id', (c) => {
      const record = deps.store.get(c.req.param('id'));
      if (!record) throw notFound();
      c.header('cache-control', 'no-store');
      return c.json({ task: toStudioTask(record) });
    });
}
