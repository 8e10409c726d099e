import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { taskListSchema } from '../../contract/schemas/studio-api.ts';
import { CLIENT_HEADER } from '../routes/create-deps.ts';
import { createDatabase, startPostgres, type TestPostgres } from '../testing/postgres.ts';
import { b64, png, type Studio, startStudio, waitForTask, withSim } from '../testing/studio-harness.ts';

/**
 * The queue's round-robin turns are the store's: a replica that does not send shows each waiting task the
 * place the sender will give it, and a replica taking the queue over goes on with the same turns. Two
 * replicas on one PostgreSQL database, Kling holding the one slot a minute.
 */
const ctx = withSim({ phaseMs: 60_000 });
let image: string;
let pg: TestPostgres;
beforeAll(async () => {
  image = b64(await png(640, 360));
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

const ENV = { KLING_CONCURRENCY: '1', RATE_LIMIT_CREATES_PER_MIN: '0', MAX_RUNNING_TASKS: '0' };

async function create(studio: Studio, client: string, prompt: string): Promise<string> {
  const res = await studio.create({ image, prompt }, { [CLIENT_HEADER]: client });
  expect(res.status).toBe(201);
  return ((await res.json()) as { task: { id: string } }).task.id;
}

/** Each waiting task's place by prompt, as this replica lists them. */
async function places(studio: Studio): Promise<Record<string, number | undefined>> {
  const res = await studio.fetch('/api/tasks?status=queued');
  const { tasks } = taskListSchema.parse(await res.json());
  return Object.fromEntries(tasks.filter((t) => t.sentAt === null).map((t) => [t.prompt, t.queue?.position]));
}

/**
 * Until this replica lists `expected`: a replica hears of another's create by the change feed, a few ms
 * after the create's answer, and until then counts the queue without it.
 */
const expectPlaces = (studio: Studio, expected: Record<string, number>) =>
  vi.waitFor(async () => expect(await places(studio)).toEqual(expected), { timeout: 5000, interval: 50 });

let runs = 0;

describe('queue places in a cluster', () => {
  it('every replica shows the places the sender keeps, its turns included, and so does the next sender', async () => {
    // A database of its own each run: a retry must not find the last run's queue.
    const databaseUrl = await createDatabase(pg.url, `places_${++runs}`);
    const start = (id: string) => startStudio(ctx.sim, { databaseUrl, env: { ...ENV, REPLICA_ID: id } });
    // The first replica up takes the dispatcher role; the second only stores and lists.
    const sender = await start('places-a');
    let other: Studio | undefined;
    let next: Studio | undefined;
    try {
      const x1 = await create(sender, 'x', 'x1');
      await waitForTask(sender, x1, (t) => t.status === 'submitted');
      other = await start('places-b');
      await create(other, 'x', 'x2');
      await create(sender, 'y', 'y1');
      await create(other, 'y', 'y2');
      // x was served last, so y goes next though x2 waited longer: y1, x2, y2.
      const expected = { y1: 1, x2: 2, y2: 3 };
      await expectPlaces(sender, expected);
      await expectPlaces(other, expected);

      // The sender goes away (its role let go): a replica started now takes the queue over with the turns.
      await sender.close();
      next = await start('places-c');
      await expectPlaces(next, expected);
      await expectPlaces(other, expected);
    } finally {
      await Promise.all([sender.close(), other?.close(), next?.close()]);
    }
  });
});
