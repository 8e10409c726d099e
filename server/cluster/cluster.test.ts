import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';
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
      // A create whose answer is lost is looked up by its external id this long before it counts as never
      // made (10 minutes by default): a task left that way fails here within the test, not after it.
      CONFIRM_WINDOW_MS: '5000',
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

const simJson = async <T>(path: string): Promise<T> => (await fetch(`${ctx.sim.baseUrl}${path}`)).json() as T;

/** What a failed run needs to be understood from its log: each task's state, Kling's creates, the replicas' words. */
async function diagnosis(): Promise<string> {
  const rows = await sql<Record<string, unknown>>(
    `SELECT id, prompt, status, status_message, lease_owner, kling_task_id FROM tasks ORDER BY created_at`,
  ).catch((e: unknown) => [{ error: String(e) }]);
  const requests = (await ctx.sim.requests()).map((r) => ({
    external: r.body.external_task_id,
    prompt: r.body.prompt,
    answer: r.response,
  }));
  const tails = cluster!.replicas.map(
    (r) => `--- ${r.id} (last lines)\n${r.process.output().split('\n').slice(-40).join('\n')}`,
  );
  return [
    `tasks: ${JSON.stringify(rows, null, 1)}`,
    `creates at Kling: ${JSON.stringify(requests)}`,
    `roles: ${JSON.stringify(await sql('SELECT * FROM leases').catch(() => []))}`,
    ...tails,
  ].join('\n');
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
    onTestFailed(async () => {
      console.error(`cluster proof failed; the state it ended in:\n${await diagnosis()}`);
    });
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
    expect(c.proxy.served).toEqual([TASKS / 3, TASKS / 3, TASKS / 3]);

    // Mid-run: the first wave is done at Kling and the next is being sent (more creates than slots).
    await vi.waitFor(
      async () =>
        expect(
          (await ctx.sim.requests()).length,
          'creates past the first wave reached Kling',
        ).toBeGreaterThan(CONCURRENCY + 1),
      { timeout: 30_000, interval: 50 },
    );
    // The victim is the replica sending the queue (it also follows what it sent): both must fail over.
    const roles = await sql<{ owner: string }>(`SELECT owner FROM leases WHERE name = 'dispatcher'`);
    const victim = c.replicas.find((r) => r.id === roles[0]?.owner);
    expect(victim, 'a replica holds the dispatcher role').toBeDefined();
    const held = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM tasks WHERE lease_owner = '${victim!.id}' AND status IN ('submitted', 'processing')`,
    );
    expect(Number(held[0]!.n), 'the victim follows tasks when it dies').toBeGreaterThan(0);
    const killedAt = Date.now();
    await c.kill(victim!);
    // The victim runs until the signal lands: a download it began meanwhile is still its own.
    const deadAt = Date.now();

    const survivors = c.alive();
    expect(survivors).toHaveLength(2);
    const ids = created.map((t) => t.id).sort();

    // Every task final, and listed by every survivor (and through the balancer, which skips the dead one).
    // Waited for with a deadline; what is still open then is reported, and the checks after it still run.
    const listed = new Map<string, StudioTask[]>();
    for (const base of [...survivors.map((r) => r.url), c.proxy.url]) {
      const settled = async () => {
        const tasks = await listAll(base);
        listed.set(base, tasks);
        return tasks.length === TASKS && tasks.every((t) => isFinalStatus(t.status));
      };
      await vi
        .waitFor(async () => expect(await settled()).toBe(true), { timeout: 60_000, interval: 250 })
        .catch(() => {});
      const tasks = listed.get(base)!;
      expect.soft(tasks.map((t) => t.id).sort(), `listed by ${base}`).toEqual(ids);
      expect
        .soft(tasks.filter((t) => !isFinalStatus(t.status)).map((t) => `${t.id} ${t.status}`))
        .toEqual([]);
    }
    const final = listed.get(c.proxy.url)!;
    expect
      .soft(final.map((t) => `${t.prompt}: ${t.status} ${t.statusMessage ?? ''}`.trim()).sort())
      .toEqual(final.map((t) => `${t.prompt}: succeed`).sort());

    // Kling received exactly one create per task, the lost answer's included (found by its external id).
    const requests = await ctx.sim.requests();
    expect
      .soft(requests.map((r) => `${r.body.external_task_id} ${r.response?.code}`).sort(), 'creates at Kling')
      .toEqual(created.map((t) => `${t.externalTaskId} 0`).sort());

    // No task polled by two replicas in the same interval.
    const polling = queriesPerInterval(
      await simJson<QueryRecord[]>('/__sim/queries'),
      new Set(created.map((t) => t.externalTaskId)),
    );
    expect(polling.queries).toBeGreaterThan(TASKS);
    expect.soft(polling.ratio, `crowded intervals: ${polling.crowded.join(', ')}`).toBeLessThanOrEqual(1.05);

    // Each video plays with Range from every survivor, the same bytes, out of the shared storage.
    const bytes = fakeVideoBytes();
    const succeeded = final.filter((t) => t.status === 'succeed');
    for (const t of succeeded)
      for (const r of survivors) {
        const res = await fetch(`${r.url}/api/tasks/${t.id}/video`, {
          headers: { range: 'bytes=1000-1999' },
        });
        const body = Buffer.from(await res.arrayBuffer());
        expect.soft(res.status, `${t.id}'s video on ${r.id}`).toBe(206);
        expect.soft(res.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
        expect.soft(body.equals(bytes.subarray(1000, 2000)), `${t.id}'s bytes on ${r.id}`).toBe(true);
      }
    // …and was archived once: downloaded from Kling by one replica, never again by another. The one
    // exception is a download the victim began and the kill cut off before its result was stored,
    // made again by the replica taking over.
    const downloads = await simJson<Record<string, VideoFetches>>('/__sim/downloads');
    let redone = 0;
    for (const t of succeeded) {
      const d = downloads[t.klingTaskId!];
      const cutByKill = d?.downloads === 2 && d.firstDownloadAt! <= deadAt && d.lastDownloadAt! > killedAt;
      if (cutByKill) redone++;
      else
        expect
          .soft(d && { downloads: d.downloads, partials: d.partials }, t.id)
          .toEqual({ downloads: 1, partials: 0 });
    }
    expect
      .soft(redone, 'downloads cut short by the kill (at most those the victim was making)')
      .toBeLessThanOrEqual(Number(held[0]!.n));

    // Every survivor's SSE client saw every task end, whichever replica finished it.
    for (const r of survivors) {
      const w = watchers.get(r)!;
      const missing = () => {
        const ended = new Set(w.tasks.filter((t) => isFinalStatus(t.status)).map((t) => t.id));
        return ids.filter((id) => !ended.has(id));
      };
      await vi
        .waitFor(() => expect(missing()).toEqual([]), { timeout: 10_000, interval: 50 })
        .catch(() => {});
      expect.soft(missing(), `ends ${r.id}'s stream never carried`).toEqual([]);
    }
    console.info(
      `cluster proof: killed ${victim!.id} holding the queue and ${held[0]!.n} tasks; ` +
        `${polling.queries} queries, ${polling.ratio.toFixed(3)} per task-interval; ` +
        `${redone} download(s) cut by the kill and redone`,
    );
  }, 150_000);
});
