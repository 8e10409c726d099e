import { afterEach, describe, expect, it, vi } from 'vitest';
import { healthSchema, readinessSchema } from '../../contract/schemas/studio-api.ts';
import { withStudio } from '../testing/studio-harness.ts';
import { databaseReachable, PING_TIMEOUT_MS } from './health.ts';

const TOKEN = 'app-token-for-tests-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const ctx = withStudio({ env: { APP_TOKEN: TOKEN, REPLICA_ID: 'replica-a' } });

afterEach(() => {
  vi.restoreAllMocks();
  ctx.studio.services.lifecycle.started = true;
  ctx.studio.services.lifecycle.stopping = false;
});

const health = async () => {
  const res = await ctx.studio.fetch('/api/health', { headers: auth });
  expect(res.status).toBe(200);
  return healthSchema.parse(await res.json());
};
const ready = async () => {
  const res = await ctx.studio.fetch('/api/ready');
  return { status: res.status, body: readinessSchema.parse(await res.json()) };
};

describe('GET /api/health', () => {
  it('names the replica, the store and storage kinds, and that the database answers', async () => {
    expect(await health()).toMatchObject({
      ok: true,
      replica: 'replica-a',
      store: 'sqlite',
      storage: 'local',
      database: { reachable: true },
    });
  });

  it('stays ok while the database does not answer (the process is alive), and says so', async () => {
    vi.spyOn(ctx.studio.services.store, 'ping').mockRejectedValue(new Error('connection refused'));
    expect(await health()).toMatchObject({ ok: true, database: { reachable: false } });
  });

  it('still needs the token (it names the replica and the upstream)', async () => {
    expect((await ctx.studio.fetch('/api/health')).status).toBe(401);
  });
});

describe('GET /api/ready', () => {
  it('is 200 without a token when the studio has started and its database answers', async () => {
    expect(await ready()).toEqual({ status: 200, body: { ready: true } });
  });

  it('is 503 with the reason while the database does not answer', async () => {
    vi.spyOn(ctx.studio.services.store, 'ping').mockResolvedValue(false);
    expect(await ready()).toEqual({ status: 503, body: { ready: false, reason: 'database unreachable' } });
  });

  it('is 503 while starting and once a shutdown began, so the balancer moves traffic away', async () => {
    ctx.studio.services.lifecycle.started = false;
    expect(await ready()).toEqual({ status: 503, body: { ready: false, reason: 'starting' } });
    ctx.studio.services.lifecycle.started = true;
    ctx.studio.services.lifecycle.stopping = true;
    expect(await ready()).toEqual({ status: 503, body: { ready: false, reason: 'shutting down' } });
  });
});

describe('databaseReachable', () => {
  it('counts a ping that never answers as unreachable, after PING_TIMEOUT_MS', async () => {
    vi.useFakeTimers();
    try {
      const answer = databaseReachable({ store: { ping: () => new Promise<boolean>(() => {}) } as never });
      let settled: boolean | undefined;
      void answer.then((v) => {
        settled = v;
      });
      await vi.advanceTimersByTimeAsync(PING_TIMEOUT_MS - 1);
      expect(settled).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(settled).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
