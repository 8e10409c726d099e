import os from 'node:os';
import { type ClusterReplica, startStudioCluster } from '../../server/testing/studio-cluster.ts';
import { scenePng } from '../fixtures/scene.ts';
import { freePort } from '../lib/free-port.ts';
import { cpuMs, rssBytes } from '../lib/proc.ts';
import { limitRow, type RowResult } from '../lib/row.ts';
import { startSimulatorProcess } from '../lib/simulator-process.ts';
import { openSse, type SseStream, type TaskEventSeen } from '../lib/sse-client.ts';
import { median, percentile } from '../lib/stats.ts';

const REPLICAS = 3;
const STREAMS = 2000;
/** Task changes timed at 2,000 streams each (after one untimed); the baseline's with one stream per replica. */
const EVENTS = 20;
const BASELINE_EVENTS = 10;
const LATENCY_GOAL_MS = 250;
const MEMORY_GOAL_BYTES = 64 * 1024;
/** Long enough for any event to reach every stream: past it, a stream that has not seen it is a miss. */
const DELIVERY_TIMEOUT_MS = 15_000;

/** One timed change: when it was sent, through which replica, and when each stream heard it. */
interface Timed {
  via: number;
  sentAt: number;
  latencies: number[];
  /** Streams on the replica that took the change, and on the others (which hear it by NOTIFY). */
  local: number[];
  remote: number[];
  /** From the row's write (the event's updatedAt, same machine clock). */
  sinceWrite: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SSE fan-out across a cluster: three studio processes on one PostgreSQL (startStudioCluster, as the
 * cluster test runs them), 2,000 /api/events streams spread evenly over them, each on its own connection
 * straight to its replica (no balancer in between, so the proxy's work is not counted as the studio's).
 * A task change is a cancel of a queued task (Kling's one slot is held by a task the simulator keeps for an
 * hour, so the others stay queued), sent to each replica in turn: one third of the streams hear it from
 * their own replica's bus, two thirds by LISTEN/NOTIFY and their replica's read of the row. Latency is from
 * just before the cancel is sent to the moment the event's bytes reach each stream. Baseline: the same
 * with one stream per replica, in the same cluster. Memory: the replicas' RSS with the streams open less
 * before, over the streams.
 */
export async function clusterSseRows(): Promise<RowResult[]> {
  const sim = await startSimulatorProcess(
    { SIM_PHASE_MS: '3600000', SIM_CONCURRENCY: '1000000' },
    await freePort(),
  );
  const streams: SseStream[] = [];
  try {
    const cluster = await startStudioCluster({
      upstream: sim,
      replicas: REPLICAS,
      env: {
        LOG_LEVEL: 'warn',
        SSE_MAX_STREAMS: String(STREAMS),
        SSE_MAX_PER_CLIENT: String(STREAMS),
        KLING_CONCURRENCY: '1',
        RATE_LIMIT_CREATES_PER_MIN: '0',
        MAX_RUNNING_TASKS: '0',
        POLL_MIN_MS: '3600000',
        POLL_MAX_MS: '3600000',
      },
    });
    try {
      const { replicas } = cluster;
      const queued = await queueTasks(replicas, sim, BASELINE_EVENTS + 1 + EVENTS);

      const waiting = new Map<string, Timed>();
      const onTask = (replica: number) => (seen: TaskEventSeen) => {
        const w = waiting.get(seen.id);
        if (!w || seen.status !== 'cancelled') return;
        const ms = seen.at - w.sentAt;
        w.latencies.push(ms);
        (replica === w.via ? w.local : w.remote).push(ms);
        w.sinceWrite.push(seen.at - seen.updatedAt);
      };
      const open = async (count: number) => {
        const batch: SseStream[] = [];
        for (let i = 0; i < count; i++) {
          const replica = (streams.length + i) % REPLICAS;
          batch.push(openSse(replicas[replica]!.url, onTask(replica)));
        }
        streams.push(...batch);
        // Their first comment: each stream is subscribed before any change is timed.
        await Promise.all(batch.map((s) => s.ready));
      };
      const change = async (id: string, via: number, expected: number) => {
        const w: Timed = { via, sentAt: Date.now(), latencies: [], local: [], remote: [], sinceWrite: [] };
        waiting.set(id, w);
        const res = await fetch(`${replicas[via]!.url}/api/tasks/${id}/cancel`, { method: 'POST' });
        if (res.status !== 200) throw new Error(`cancel answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
        while (w.latencies.length < expected && Date.now() < deadline) await sleep(5);
        if (w.latencies.length < expected)
          throw new Error(`a cancel reached ${w.latencies.length} of ${expected} streams`);
        return w;
      };

      await open(REPLICAS);
      const baseline = [];
      for (let k = 0; k < BASELINE_EVENTS; k++) {
        baseline.push(await change(queued[k]!, k % REPLICAS, REPLICAS));
        await sleep(100);
      }

      await sleep(1000);
      const rssBefore = replicas.map((r) => rssBytes(r.process.child.pid!));
      for (let opened = REPLICAS; opened < STREAMS; opened += 200)
        await open(Math.min(200, STREAMS - opened));
      await sleep(2000);
      const rssAfter = replicas.map((r) => rssBytes(r.process.child.pid!));
      const perStream =
        (rssAfter.reduce((a, b) => a + b, 0) - rssBefore.reduce((a, b) => a + b, 0)) / (STREAMS - REPLICAS);

      // Each stream's first event costs more than the next ones (its first write, the code it runs for
      // the first time at this scale): one change untimed, shown apart, so the rest is the steady cost.
      const first = await change(queued[BASELINE_EVENTS]!, REPLICAS - 1, STREAMS);
      await sleep(250);
      const timed = [];
      const cpuBefore = {
        bench: process.cpuUsage(),
        replicas: replicas.map((r) => cpuMs(r.process.child.pid!)),
      };
      for (let k = 0; k < EVENTS; k++) {
        timed.push(await change(queued[BASELINE_EVENTS + 1 + k]!, k % REPLICAS, STREAMS));
        await sleep(250);
      }
      const used = process.cpuUsage(cpuBefore.bench);
      const benchCpuPerEvent = (used.user + used.system) / 1000 / EVENTS;
      const replicaCpuPerEvent =
        replicas.reduce((sum, r, i) => sum + cpuMs(r.process.child.pid!) - cpuBefore.replicas[i]!, 0) /
        EVENTS;
      const local = timed.flatMap((w) => w.local);
      const remote = timed.flatMap((w) => w.remote);
      const all = timed.flatMap((w) => w.latencies);
      const base = baseline.flatMap((w) => w.latencies);
      const sinceWrite = timed.flatMap((w) => w.sinceWrite);
      const perEventP99 = timed.map((w) => percentile(w.latencies, 99));
      return [
        limitRow({
          row: 'cluster_sse',
          metric: `p99 event latency, ${STREAMS.toLocaleString('en')} streams on ${REPLICAS} replicas`,
          value: percentile(all, 99),
          baseline: percentile(base, 99),
          unit: 'ms',
          limit: { max: LATENCY_GOAL_MS },
          how: `${EVENTS} cancels, each sent to the next replica, each timed from just before the POST to its event's arrival on every one of the ${STREAMS} streams (${all.length} deliveries, none missed): p50 ${median(all).toFixed(0)} ms, max ${Math.max(...all).toFixed(0)} ms, each event's p99 ${perEventP99.map((v) => v.toFixed(0)).join(' ')} ms; from the row's write (updatedAt) p99 ${percentile(sinceWrite, 99).toFixed(0)} ms; streams on the replica that took the cancel p99 ${percentile(local, 99).toFixed(0)} ms, on the others ${percentile(remote, 99).toFixed(0)} ms; the change before them, untimed (each stream's first), p99 ${percentile(first.latencies, 99).toFixed(0)} ms; baseline = ${BASELINE_EVENTS} cancels with one stream per replica (p50 ${median(base).toFixed(0)} ms); every stream is read by this one client process over its own connection, which used ${benchCpuPerEvent.toFixed(0)} ms of CPU per event (the 3 replicas together ${replicaCpuPerEvent.toFixed(0)} ms) on ${os.cpus().length} cores, 1-min load ${os.loadavg()[0]!.toFixed(1)}`,
          samples: { latencies: all, baseline: base, sinceWrite },
        }),
        limitRow({
          row: 'cluster_sse',
          metric: `memory per open stream, ${STREAMS.toLocaleString('en')} streams on ${REPLICAS} replicas`,
          value: perStream,
          baseline: MEMORY_GOAL_BYTES,
          unit: 'B',
          limit: { max: MEMORY_GOAL_BYTES },
          goalText: '≤ 64 KB',
          how: `the ${REPLICAS} replicas' RSS (/proc) 2 s after the streams opened less just before, over the ${STREAMS - REPLICAS} streams opened; baseline = the 64 KB goal; RSS before ${rssBefore.map((b) => (b / 2 ** 20).toFixed(0)).join(' / ')} MB, after ${rssAfter.map((b) => (b / 2 ** 20).toFixed(0)).join(' / ')} MB`,
          samples: { rssBefore, rssAfter },
        }),
      ];
    } finally {
      for (const s of streams) s.close();
      await cluster.stop();
    }
  } finally {
    await sim.stop();
  }
}

/**
 * `count` tasks that stay queued, created over the replicas in turn, behind one the simulator keeps
 * (it holds the cluster's one Kling slot). Answers the queued ones' ids.
 */
async function queueTasks(
  replicas: ClusterReplica[],
  sim: { stats(): Promise<{ creates: number }> },
  count: number,
): Promise<string[]> {
  const image = (await scenePng(640, 360)).toString('base64');
  const ids: string[] = [];
  for (let i = 0; i <= count; i++) {
    const res = await fetch(`${replicas[i % replicas.length]!.url}/api/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ image, prompt: `fan-out ${i}` }),
    });
    if (res.status !== 201) throw new Error(`create answered ${res.status}: ${await res.text()}`);
    ids.push(((await res.json()) as { task: { id: string } }).task.id);
    // The first takes the slot before the others are created, so the ones that stay queued are known.
    if (i === 0) {
      const deadline = Date.now() + 20_000;
      while ((await sim.stats()).creates < 1 && Date.now() < deadline) await sleep(50);
      if ((await sim.stats()).creates < 1) throw new Error('the first task was never sent');
    }
  }
  return ids.slice(1);
}
