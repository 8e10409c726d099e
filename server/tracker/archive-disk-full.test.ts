import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KlingTask } from '../../contract/schemas/kling-task.ts';
import { createLocalStorage } from '../files/local-storage.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import type { OpenFile } from '../lib/safe-fetch.ts';
import { type Db, openDatabase } from '../tasks/sqlite/database.ts';
import { createSqliteTaskStore } from '../tasks/sqlite/sqlite-task-store.ts';
import type { TaskRecord } from '../tasks/task-record.ts';
import type { TaskStore } from '../tasks/task-store.ts';
import { fakeVideoBytes, tempDir } from '../testing/studio-harness.ts';
import { acceptedTaskRecord } from '../testing/task-records.ts';
import type { KlingClient } from '../upstream/kling-client.ts';
import { createTaskEvents } from './task-events.ts';
import { createTaskTracker, type TaskTracker } from './task-tracker.ts';

/**
 * A full disk while archiving (security review 2026-12, finding 2): each attempt fails cleanly, the tracker
 * retries on its backed-off polls, then reports it on the task in plain words, and the process lives on,
 * also when the unfinished task is picked up again after a restart (resumeAll).
 */
let videoHost: string;
let videos: Server;
beforeAll(async () => {
  const bytes = fakeVideoBytes();
  videos = createServer((_req, res) => res.end(bytes));
  await new Promise<void>((r) => videos.listen(0, '127.0.0.1', r));
  videoHost = `127.0.0.1:${(videos.address() as AddressInfo).port}`;
});
afterAll(() => {
  videos.closeAllConnections();
  videos.close();
});

const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => uncaught.push(e);
let dataDir: string;
let db: Db;
let store: TaskStore;
let tracker: TaskTracker | undefined;
beforeEach(() => {
  process.on('uncaughtException', onUncaught);
  dataDir = tempDir('disk-full');
  db = openDatabase(dataDir);
  store = createSqliteTaskStore(db);
});
afterEach(async () => {
  await tracker?.stop();
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.off('uncaughtException', onUncaught);
  expect(uncaught).toEqual([]);
});

const diskError = (code: string) =>
  Object.assign(new Error(`${code}: simulated`), { code, syscall: 'write' });

/** Every file opened for the archive fails on its first write; records when each attempt started. */
function failingDisk(code: string): { openFile: OpenFile; attempts: number[] } {
  const attempts: number[] = [];
  return {
    attempts,
    openFile: () => {
      attempts.push(Date.now());
      return new Writable({
        write(_chunk, _enc, cb) {
          cb(diskError(code));
        },
      });
    },
  };
}

const kling = (id: string): KlingTask => ({
  task_id: id,
  task_status: 'succeed',
  task_result: { videos: [{ id: 'v1', url: `http://${videoHost}/v1.mp4`, duration: '5.1' }] },
  created_at: 1,
  updated_at: 2,
});

function startTracker(openFile: OpenFile) {
  const client: KlingClient = {
    baseUrl: 'http://kling.invalid',
    createTask: () => Promise.reject(new Error('not used')),
    createMotionControl: () => Promise.reject(new Error('not used')),
    getTask: async (id) => kling(id),
  };
  tracker = createTaskTracker({
    store,
    client,
    events: createTaskEvents(),
    clock: systemClock,
    log: createLogger({ level: 'error', write: () => {} }),
    files: createLocalStorage(dataDir),
    archiveFetch: { maxBytes: 1024 * 1024, timeoutMs: 2000, allowHosts: new Set([videoHost]), openFile },
    pollMinMs: 40,
    pollMaxMs: 2000,
    confirmWindowMs: 60_000,
    callbacks: false,
  });
  return tracker;
}

async function settled(id: string, timeoutMs = 5000): Promise<TaskRecord> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await store.get(id);
    if (r?.finishedAt) return r;
    if (Date.now() > until) throw new Error(`task ${id} still ${r?.status} (${r?.statusMessage})`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

describe('archiving onto a full disk', () => {
  it('is retried with backoff, then reported on the task in plain words (picked up by resumeAll)', async () => {
    await store.insert(acceptedTaskRecord('a'));
    const disk = failingDisk('ENOSPC');
    expect(await startTracker(disk.openFile).resumeAll()).toBe(1);
    const done = await settled('a');

    expect(disk.attempts).toHaveLength(3);
    const [first = 0, second = 0, third = 0] = disk.attempts;
    // Each retry waits for the next poll, and the polls back off (40 ms, then 60): lower bounds only, which
    // a loaded machine can only exceed (comparing the two gaps failed when the first one ran late).
    expect(second - first).toBeGreaterThanOrEqual(40);
    expect(third - second).toBeGreaterThanOrEqual(60);
    expect(done.statusMessage).toMatch(/the video could not be saved: disk full/);
    expect(done.statusMessage).not.toMatch(/ENOSPC/);
    expect(done.videoPath).toBeNull();
    // Kling's own link is kept: the video exists, only the studio's copy is missing.
    expect(done.resultUrl).toBe(`http://${videoHost}/v1.mp4`);
    const dir = join(dataDir, 'videos');
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it.each([
    ['EIO', /the video could not be saved: the disk reported a read\/write error/],
    ['EDQUOT', /the video could not be saved: the disk quota is used up/],
    ['EROFS', /the video could not be saved: the disk is read-only/],
  ])('names %s in plain words', async (code, words) => {
    await store.insert(acceptedTaskRecord('b'));
    startTracker(failingDisk(code).openFile).track('b', 0);
    expect((await settled('b')).statusMessage).toMatch(words);
  });

  it('keeps the task running between attempts, so the next poll retries', async () => {
    await store.insert(acceptedTaskRecord('c'));
    const disk = failingDisk('ENOSPC');
    startTracker(disk.openFile).track('c', 0);
    const until = Date.now() + 3000;
    while (disk.attempts.length < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 10));
    expect(await store.get('c')).toMatchObject({ status: 'processing', finishedAt: null });
    await settled('c');
  });
});
