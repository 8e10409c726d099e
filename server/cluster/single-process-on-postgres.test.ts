import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type TestPostgres } from '../testing/postgres.ts';
import { usePostgresForStudios } from '../testing/test-database.ts';

/**
 * "Then the same suite's single-process tests pass on PostgreSQL" (issue 18): the main journeys — a task
 * from create to archived video and the history (routes/tasks.test.ts), kill -9 and restart (restart.test.ts,
 * queue/queue-restart.test.ts), the queue (queue/queue.test.ts: one 1303 teaches Kling's limit, fair
 * order, cancel, batches, budget) — run here again, unchanged, with every studio they start on a
 * PostgreSQL database of its own (one per DATA_DIR) on a throwaway cluster instead of SQLite. Their files
 * still run on SQLite by themselves.
 */
let pg: TestPostgres | undefined;
// Registered before the imported files' hooks: the cluster is up before their first studio starts and is
// stopped after their last one closed (vitest runs afterAll in reverse order).
beforeAll(async () => {
  pg = await startPostgres();
  usePostgresForStudios(pg.url);
});
afterAll(async () => {
  usePostgresForStudios(undefined);
  await pg?.stop();
});

await import('../routes/tasks.test.ts');
await import('../restart.test.ts');
await import('../queue/queue-restart.test.ts');
await import('../queue/queue.test.ts');
