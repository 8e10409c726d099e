import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isFinalStatus } from '../../contract/schemas/kling-task.ts';
import { type StudioTask, taskEnvelopeSchema, taskListSchema } from '../../contract/schemas/studio-api.ts';
import type { QueryRecord, VideoFetches } from '../simulator/access-log.ts';
import { type ClusterReplica, type StudioCluster, startStudioCluster } from '../testing/studio-cluster.ts';
import {
  b64,
  fakeVideoBytes,
  png,
  SIM_KEYS,
  type SseWatcher,
  watchEvents,
  withSim,
} from '../testing/studio-harness.ts';

/**
 * The proof of cluster mode (issue 18): real PostgreSQL, s3rver and the standalone simulator, three studio
 * processes behind a round-robin proxy. 30 creates through the proxy (one whose answer Kling loses), an SSE
 * client on every replica, and kill -9 of the replica that sends the queue while work is in flight. Then:
 * every task ends final and is listed by every survivor, Kling got one create per task, no task was polled
 * by two replicas in one interval, each video was downloaded from Kling once and plays with Range from
 * every survivor, and every survivor's SSE client saw every task end.
 */
const TASKS = 30;
const POLL_MIN_MS = 250;
// Kling's concurrency limit and the cluster's, the same: a replica sending past it would be told 1303 and
// send again, which the one-create-per-task count would show.
const CONCURRENCY = 10;
const LOST_ANSWER_PROMPT = '[sim:malformed] the answer to this create is lost';

// Each task spends 2 × 1.5 s at Kling: with 10 slots the 30 go in three waves, so the kill lands mid-run.
const ctx = withSim({ phaseMs: 1500, concurrency: CONCURRENCY });
let cluster: StudioCluster | undefined;
const watchers = new Map<ClusterReplica, SseWatcher>();

beforeAll(async () => {
  cluster = await startStudioCluster({
    upstream: { baseUrl: ctx.sim.baseUrl, ...SIM_KEYS },
    replicas: 3,
    env: {
      TRACKER_LEASE_MS: '2000',
      POLL_MIN_MS: String(POLL_MIN_MS),
      POLL_MAX_MS: '600',
      UPSTREAM_TIMEOUT_MS: '5000',
      KLING_CONCURRENCY: String(CONCURRENCY),
      // 30 creates in a few seconds from one client: above the wallet guard's defaults.
      RATE_LIMIT_CREATES_PER_MIN: '1000',
      MAX_RUNNING_TASKS: '100',
      SSE_HEARTBEAT_MS: '1000',
    },
  });
}, 90_000);
afterAll(async () => {
  for (const w of watchers.values()) w.close();
  await cluster?.stop();
});

/** Reads the database the replicas share, as an operator would (who holds the queue, who follows what). */
async function sql<T>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: cluster!.pg.url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

async function listAll(base: string): Promise<StudioTask[]> {
  const res = await fetch(`${base}/api/tasks?pageSize=100`);
  expect(res.status).toBe(200);
  return taskListSchema.parse(await res.json()).tasks;
}

/**
 * Upstream queries per task per poll interval: each task's queries are put in cells of POLL_MIN_MS (the
 * shortest wait one tracker leaves between two polls of a task, so one tracker alone never puts two
 * queries in one cell) and the queries are divided by the cells they occupy. 1.0 = never two at once.
 */
function queriesPerInterval(queries: readonly QueryRecord[], externalIds: ReadonlySet<string>) {
  const ours = queries.filter((q) => q.externalTaskId !== undefined && externalIds.has(q.externalTaskId));
  const cells = new Map<string, number>();
  for (const q of ours) {
    const cell = `${q.externalTaskId}:${Math.floor(q.at / POLL_MIN_MS)}`;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
  }
  const crowded = [...cells].filter(([, n]) => n > 1).map(([cell]) => cell);
  return { queries: ours.length, ratio: ours.length / Math.max(1, cells.size), crowded };
}

describe('three replicas behind a load balancer, one killed mid-run', () => {
  it('loses no task, sends nothing twice, polls each task once per interval, serves every video everywhere', async () => {
    const c = cluster!;
    for (const r of c.replicas) watchers.set(r, watchEvents(r.url));
    await Promise.all([...watchers.values()].map((w) => w.ready));

    const image = b64(await png(640, 360));
    const created: StudioTask[] = [];
    for (let i = 0; i < TASKS; i++) {
      const res = await fetch(`${c.proxy.url}/api/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ image, prompt: i === 4 ? LOST_ANSWER_PROMPT : `cluster proof ${i}` }),
      });
      expect(res.status).toBe(201);
      created.push(taskEnvelopeSchema.parse(await res.json()).task);
    }
    // Spread over the replicas by the proxy: each took a third.
    expect(c.proxy.served.slice(0, 3).every((n) => n >= TASKS / 3)).toBe(true);

    // Mid-run: the first wave is done at Kling and the next is being sent (more creates than slots).
    await vi.waitFor(async () => expect((await ctx.sim.requests()).length).toBeGreaterThan(CONCURRENCY + 1), {
      timeout: 30_000,
      interval: 50,
    });
    // The victim is the replica sending the queue (it also follows what it sent): both must fail over.
    const roles = await sql<{ owner: string }>(`SELECT owner FROM leases WHERE name = 'dispatcher'`);
    const victim = c.replicas.find((r) => r.id === roles[0]?.owner);
    expect(victim, 'a replica holds the dispatcher role').toBeDefined();
    const held = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM tasks WHERE lease_owner = '${victim!.id}' AND status IN ('submitted', 'processing')`,
    );
    expect(Number(held[0]!.n), 'the victim follows tasks when it dies').toBeGreaterThan(0);
    await c.kill(victim!);

    const survivors = c.alive();
    expect(survivors).toHaveLength(2);
    const ids = created.map((t) => t.id).sort();

    // Every task final, and listed by every survivor (and through the balancer, which skips the dead one).
    let final: StudioTask[] = [];
    for (const base of [...survivors.map((r) => r.url), c.proxy.url]) {
      final = await vi.waitFor(
        async () => {
          const tasks = await listAll(base);
          expect(tasks.map((t) => t.id).sort()).toEqual(ids);
          const open = tasks.filter((t) => !isFinalStatus(t.status));
          expect(open.map((t) => `${t.id} ${t.status}`)).toEqual([]);
          return tasks;
        },
        { timeout: 60_000, interval: 250 },
      );
    }
    expect(final.map((t) => `${t.prompt}: ${t.status} ${t.statusMessage ?? ''}`.trim())).toEqual(
      final.map((t) => `${t.prompt}: succeed`),
    );

    // Kling received exactly one create per task, the lost answer's included (found by its external id).
    const requests = await ctx.sim.requests();
    const externals = requests.map((r) => r.body.external_task_id as string).sort();
    expect(externals).toEqual(created.map((t) => t.externalTaskId).sort());
    const stats = await ctx.sim.stats();
    expect({ creates: stats.creates, tasksCreated: stats.tasksCreated }).toEqual({
      creates: TASKS,
      tasksCreated: TASKS,
    });

    // No task polled by two replicas in the same interval.
    const queries = (await (await fetch(`${ctx.sim.baseUrl}/__sim/queries`)).json()) as QueryRecord[];
    const polling = queriesPerInterval(queries, new Set(created.map((t) => t.externalTaskId)));
    expect(polling.queries).toBeGreaterThan(TASKS);
    expect(polling.ratio, `crowded intervals: ${polling.crowded.join(', ')}`).toBeLessThanOrEqual(1.05);

    // Each video plays with Range from every survivor, the same bytes, out of the shared storage.
    const bytes = fakeVideoBytes();
    for (const t of final)
      for (const r of survivors) {
        const res = await fetch(`${r.url}/api/tasks/${t.id}/video`, {
          headers: { range: 'bytes=1000-1999' },
        });
        expect(res.status, `${t.id} on ${r.id}`).toBe(206);
        expect(res.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
        expect(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);
      }
    // …and was downloaded from Kling once: archived by one replica, never again by another.
    const downloads = (await (await fetch(`${ctx.sim.baseUrl}/__sim/downloads`)).json()) as Record<
      string,
      VideoFetches
    >;
    for (const t of final) expect(downloads[t.klingTaskId!], t.id).toEqual({ downloads: 1, partials: 0 });

    // Every survivor's SSE client saw every task end, whichever replica finished it.
    for (const r of survivors) {
      const w = watchers.get(r)!;
      await vi.waitFor(
        () => {
          const ended = new Set(w.tasks.filter((t) => isFinalStatus(t.status)).map((t) => t.id));
          expect(ids.filter((id) => !ended.has(id))).toEqual([]);
        },
        { timeout: 10_000, interval: 50 },
      );
    }
  }, 150_000);
});
