import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema } from '../../contract/schemas/studio-api.ts';
import { createDatabase, startPostgres, type TestPostgres } from '../testing/postgres.ts';
import { b64, png, type Studio, startStudio, tempDir, withSim } from '../testing/studio-harness.ts';

/**
 * RATE_LIMIT_CREATES_PER_MIN behind a load balancer: a client's creates count wherever they landed. Two
 * replicas on one PostgreSQL database, a client alternating between them: the limit holds for the pair,
 * as it does for one process. And one process on SQLite keeps its count over a restart.
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

const LIMITS = { RATE_LIMIT_CREATES_PER_MIN: '2', MAX_RUNNING_TASKS: '0', TRUST_PROXY: '127.0.0.1,::1' };
const from = (client: string) => ({ 'x-forwarded-for': client });
let runs = 0;

/** The create's status, and the refusal's message when it was refused. */
async function create(studio: Studio, client: string): Promise<{ status: number; message?: string }> {
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
    const databaseUrl = await createDatabase(pg.url, `rates_${++runs}`);
    const [a, b] = await Promise.all(
      ['a', 'b'].map((name) =>
        startStudio(ctx.sim, { databaseUrl, env: { ...LIMITS, REPLICA_ID: `rate-${name}` } }),
      ),
    );
    try {
      expect(await create(a!, '198.51.100.1')).toEqual({ status: 201 });
      expect(await create(b!, '198.51.100.1')).toEqual({ status: 201 });
      // Each replica has taken one of this client's creates: counted apart, both would let a third through.
      for (const replica of [a!, b!]) {
        const refused = await create(replica, '198.51.100.1');
        expect(refused.status).toBe(429);
        expect(refused.message).toMatch(
          /^You started 2 generations in the last minute \(the limit is 2\)\. Try again in \d+ s\.$/,
        );
      }
      // Another client behind the same balancer has its own count, on either replica.
      expect(await create(b!, '198.51.100.2')).toEqual({ status: 201 });
      expect(await create(a!, '198.51.100.2')).toEqual({ status: 201 });
      expect((await create(a!, '198.51.100.2')).status).toBe(429);
    } finally {
      await Promise.all([a?.close(), b?.close()]);
    }
  });

  it('one process keeps the count over a restart: a restart is not a fresh minute', async () => {
    const dataDir = tempDir('rate-restart');
    const env = { ...LIMITS, RATE_LIMIT_CREATES_PER_MIN: '1' };
    const first = await startStudio(ctx.sim, { dataDir, env });
    try {
      expect(await create(first, '198.51.100.3')).toEqual({ status: 201 });
      expect((await create(first, '198.51.100.3')).status).toBe(429);
    } finally {
      await first.close();
    }
    const again = await startStudio(ctx.sim, { dataDir, env });
    try {
      expect((await create(again, '198.51.100.3')).status).toBe(429);
      expect(await create(again, '198.51.100.4')).toEqual({ status: 201 });
    } finally {
      await again.close();
    }
  });
});
