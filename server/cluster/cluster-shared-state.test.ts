import { beforeAll, describe, expect, it, vi } from 'vitest';
import { apiErrorSchema, taskListSchema } from '../../contract/schemas/studio-api.ts';
import { CLIENT_HEADER } from '../routes/create-deps.ts';
import {
  b64,
  png,
  type Studio,
  startStudio,
  tempDir,
  waitForTask,
  withPostgres,
  withSim,
} from '../testing/studio-harness.ts';

/**
 * What replicas behind a load balancer share through the database, so a creator cannot tell which one
 * answered: the per-client create rate (RATE_LIMIT_CREATES_PER_MIN counts a client's creates wherever they
 * landed) and the queue's round-robin turns (every replica shows a waiting task the place the sender will
 * give it, and a replica taking the queue over goes on with the same turns). Studios on one PostgreSQL
 * database, each test on a database of its own; Kling keeps each task a minute.
 */
// Room at Kling for every test's tasks: the queue's test holds its one slot with a studio-side limit.
const ctx = withSim({ phaseMs: 60_000, concurrency: 100 });
const postgres = withPostgres();
let image: string;
beforeAll(async () => {
  image = b64(await png(640, 360));
});

const LIMITS = { RATE_LIMIT_CREATES_PER_MIN: '2', MAX_RUNNING_TASKS: '0', TRUST_PROXY: '127.0.0.1,::1' };
const from = (client: string) => ({ 'x-forwarded-for': client });

/** The create's status, and the refusal's message when it was refused. */
async function createAs(studio: Studio, client: string): Promise<{ status: number; message?: string }> {
  const res = await studio.create({ image }, from(client));
  if (res.status === 201) {
    await res.body?.cancel();
    return { status: 201 };
  }
  const { error } = apiErrorSchema.parse(await res.json());
  expect(error.code).toBe('rate_limited');
  return { status: res.status, message: error.message };
}

describe('the per-client create rate in a cluster', () => {
  it('counts a client’s creates on every replica: spread over two, it still gets the limit once', async () => {
    // A database of its own each run: a retry must not find the last run's creates counted.
    const databaseUrl = await postgres.database();
    const [a, b] = await Promise.all(
      ['a', 'b'].map((name) =>
        startStudio(ctx.sim, { databaseUrl, env: { ...LIMITS, REPLICA_ID: `rate-${name}` } }),
      ),
    );
    try {
      expect(await createAs(a!, '198.51.100.1')).toEqual({ status: 201 });
      expect(await createAs(b!, '198.51.100.1')).toEqual({ status: 201 });
      // Each replica has taken one of this client's creates: counted apart, both would let a third through.
      for (const replica of [a!, b!]) {
        const refused = await createAs(replica, '198.51.100.1');
        expect(refused.status).toBe(429);
        expect(refused.message).toMatch(
          /^You started 2 generations in the last minute \(the limit is 2\)\. Try again in \d+ s\.$/,
        );
      }
      // Another client behind the same balancer has its own count, on either replica.
      expect(await createAs(b!, '198.51.100.2')).toEqual({ status: 201 });
      expect(await createAs(a!, '198.51.100.2')).toEqual({ status: 201 });
      expect((await createAs(a!, '198.51.100.2')).status).toBe(429);
    } finally {
      await Promise.all([a?.close(), b?.close()]);
    }
  });

  it('one process keeps the count over a restart: a restart is not a fresh minute', async () => {
    const dataDir = tempDir('rate-restart');
    const env = { ...LIMITS, RATE_LIMIT_CREATES_PER_MIN: '1' };
    const first = await startStudio(ctx.sim, { dataDir, env });
    try {
      expect(await createAs(first, '198.51.100.3')).toEqual({ status: 201 });
      expect((await createAs(first, '198.51.100.3')).status).toBe(429);
    } finally {
      await first.close();
    }
    const again = await startStudio(ctx.sim, { dataDir, env });
    try {
      expect((await createAs(again, '198.51.100.3')).status).toBe(429);
      expect(await createAs(again, '198.51.100.4')).toEqual({ status: 201 });
    } finally {
      await again.close();
    }
  });
});

const ENV = { KLING_CONCURRENCY: '1', RATE_LIMIT_CREATES_PER_MIN: '0', MAX_RUNNING_TASKS: '0' };

async function queueAs(studio: Studio, client: string, prompt: string): Promise<string> {
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

describe('queue places in a cluster', () => {
  it('every replica shows the places the sender keeps, its turns included, and so does the next sender', async () => {
    // A database of its own each run: a retry must not find the last run's queue.
    const databaseUrl = await postgres.database();
    const start = (id: string) => startStudio(ctx.sim, { databaseUrl, env: { ...ENV, REPLICA_ID: id } });
    // The first replica up takes the dispatcher role; the second only stores and lists.
    const sender = await start('places-a');
    let other: Studio | undefined;
    let next: Studio | undefined;
    try {
      const x1 = await queueAs(sender, 'x', 'x1');
      await waitForTask(sender, x1, (t) => t.status === 'submitted');
      other = await start('places-b');
      await queueAs(other, 'x', 'x2');
      await queueAs(sender, 'y', 'y1');
      await queueAs(other, 'y', 'y2');
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
