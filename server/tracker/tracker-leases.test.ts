import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KlingTask } from '../../contract/schemas/kling-task.ts';
import { createLocalStorage } from '../files/local-storage.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import { openDatabase } from '../tasks/sqlite/database.ts';
import { createSqliteTaskStore } from '../tasks/sqlite/sqlite-task-store.ts';
import type { TaskStore } from '../tasks/task-store.ts';
import { acceptedTaskRecord } from '../testing/task-records.ts';
import type { KlingClient } from '../upstream/kling-client.ts';
import { createTaskEvents } from './task-events.ts';
import { createTaskTracker, type TaskTracker } from './task-tracker.ts';

/**
 * Cluster mode's tracker rule on one shared store (SQLite here; the cluster test runs it on PostgreSQL
 * across processes): a task is polled by the replica holding its lease and by no other, a replica that
 * cannot renew stops polling before its lease lapses, the lapsed lease is taken over, and a callback's
 * news moves the lease to the replica it landed on.
 */
const LEASE_MS = 600;
const LEASE_CALLS = new Set(['renewTracking', 'claimTracking', 'claimTask', 'updateFenced']);
let dataDir: string;
let store: TaskStore;
const trackers: TaskTracker[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'tracker-leases-'));
  store = createSqliteTaskStore(openDatabase(dataDir));
});
afterEach(async () => {
  for (const t of trackers.splice(0)) await t.stop();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const remote = (id: string, status: KlingTask['task_status']): KlingTask => ({
  task_id: `k-${id}`,
  task_status: status,
  created_at: 0,
  updated_at: 0,
});

interface Replica {
  tracker: TaskTracker;
  polls: { id: string; at: number }[];
  /**
   * From now on its lease calls fail (its renewals time out, say) while reads still work: it must stop
   * polling on its own before the lease lapses, since nothing else will stop it.
   */
  cutOff(): void;
}

function replica(owner: string): Replica {
  const polls: Replica['polls'] = [];
  let cut = false;
  const cutStore = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        cut && LEASE_CALLS.has(String(key))
          ? Promise.reject(new Error('connection cut'))
          : value.apply(target, args);
    },
  });
  const client: KlingClient = {
    baseUrl: 'http://kling.invalid',
    createTask: () => Promise.reject(new Error('not used')),
    createMotionControl: () => Promise.reject(new Error('not used')),
    getTask: async (id) => {
      polls.push({ id: id.replace(/^k-/, ''), at: Date.now() });
      return remote(id.replace(/^k-/, ''), 'processing');
    },
  };
  const tracker = createTaskTracker({
    store: cutStore,
    client,
    events: createTaskEvents(),
    clock: systemClock,
    log: createLogger({ level: 'error', write: () => {} }),
    files: createLocalStorage(dataDir),
    archiveFetch: { maxBytes: 1024, timeoutMs: 1000, allowHosts: new Set() },
    pollMinMs: 50,
    pollMaxMs: 50,
    confirmWindowMs: 60_000,
    callbacks: false,
    lease: { owner, leaseMs: LEASE_MS },
  });
  trackers.push(tracker);
  return {
    tracker,
    polls,
    cutOff() {
      cut = true;
    },
  };
}

describe('tracker leases (cluster mode)', () => {
  it('each task is polled by one replica; a replica cut off stops before its lease lapses and another takes over', async () => {
    for (const id of ['t1', 't2', 't3', 't4']) await store.insert(acceptedTaskRecord(id));
    const a = replica('a');
    const b = replica('b');
    // A starts first and takes every lease; B finds none free.
    expect(await a.tracker.resumeAll()).toBe(4);
    expect(await b.tracker.resumeAll()).toBe(0);
    await vi.waitFor(() => expect(new Set(a.polls.map((p) => p.id)).size).toBe(4));
    await new Promise((r) => setTimeout(r, 300));
    expect(b.polls).toEqual([]);

    a.cutOff();
    const cutAt = Date.now();
    await vi.waitFor(() => expect(new Set(b.polls.map((p) => p.id)).size).toBe(4), {
      timeout: LEASE_MS * 6,
      interval: 50,
    });
    // Long enough for A to show itself if it went on polling.
    await new Promise((r) => setTimeout(r, 300));
    // A's last poll of each task came before B's first: never both in one interval.
    for (const id of ['t1', 't2', 't3', 't4']) {
      const lastA = Math.max(...a.polls.filter((p) => p.id === id).map((p) => p.at));
      const firstB = Math.min(...b.polls.filter((p) => p.id === id).map((p) => p.at));
      expect(lastA).toBeLessThan(firstB);
      expect(lastA).toBeLessThan(cutAt + LEASE_MS);
    }
  });

  it("a callback that lands on another replica moves the lease there; the first replica's writes are fenced off", async () => {
    await store.insert(acceptedTaskRecord('t1'));
    const a = replica('a');
    const b = replica('b');
    await a.tracker.resumeAll();
    await vi.waitFor(() => expect(a.polls.length).toBeGreaterThan(0));
    const applied = await b.tracker.applyUpstream('t1', remote('t1', 'failed'), 'callback');
    expect(applied).toMatchObject({ status: 'failed' });
    const pollsAfter = a.polls.length;
    await new Promise((r) => setTimeout(r, 300));
    // A let the task go: its lease was taken, so it stopped polling, and the final status stands.
    expect(a.polls.length).toBeLessThanOrEqual(pollsAfter + 1);
    expect(await store.get('t1')).toMatchObject({ status: 'failed' });
  });
});
