import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FanoutStore } from '../cluster/task-fanout.ts';
import { manualClock, sleep } from '../lib/clock.ts';
import { StudioError } from '../lib/studio-error.ts';
import { createDatabase, startPostgres, type TestPostgres } from '../testing/postgres.ts';
import { type TaskRecordOverrides, taskRecord } from '../testing/task-records.ts';
import { createPostgresTaskStore } from './postgres/pg-task-store.ts';
import { openDatabase } from './sqlite/database.ts';
import { createSqliteTaskStore } from './sqlite/sqlite-task-store.ts';
import { BadCursor, DuplicateExternalId } from './store-errors.ts';
import type { TaskRecord } from './task-record.ts';
import type { StoreKind, TaskStore, UploadRow } from './task-store.ts';

/**
 * One suite, both stores: whatever the studio relies on of its store holds alike on SQLite (one process)
 * and PostgreSQL (a throwaway cluster, a fresh database per test). Where the suite needs two replicas, the
 * PostgreSQL arm opens two stores (two pools) on one database; the SQLite arm has one process, so both
 * "replicas" are its one store. Leases lapse by the SQLite store's manual clock, and by waiting past them
 * on PostgreSQL, whose leases follow the database's own clock.
 */

interface Opened {
  store: TaskStore;
  /** Another replica on the same database (the same store on SQLite). */
  replica: TaskStore;
  /** Lets leases of `ms` taken so far run out. */
  lapse(ms: number): Promise<void>;
  /**
   * Both stores' clock: what stamps `updatedAt` where a write's caller gives no time (on SQLite it is the
   * lease clock too; PostgreSQL's leases follow the database's clock whatever it says).
   */
  clock: ReturnType<typeof manualClock>;
}

interface Arm {
  kind: StoreKind;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  open(): Promise<Opened>;
  /** Opens two stores at once on one empty database; the migration versions it recorded, as rows. */
  openTwiceAtOnce(): Promise<{ stores: TaskStore[]; versions: number[] }>;
  /** Closes what `open` opened, between tests. */
  cleanup(): Promise<void>;
}

function sqliteArm(): Arm {
  const dirs: string[] = [];
  const stores: TaskStore[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-conformance-'));
    dirs.push(dir);
    return dir;
  };
  return {
    kind: 'sqlite',
    setup: async () => {},
    teardown: async () => {},
    async open() {
      const clock = manualClock(Date.now());
      const store = createSqliteTaskStore(openDatabase(newDir()), { clock });
      stores.push(store);
      return {
        store,
        replica: store,
        lapse: async (ms) => clock.advance(ms + 1),
        clock,
      };
    },
    async openTwiceAtOnce() {
      const dir = newDir();
      const dbs = await Promise.all([0, 1].map(async () => openDatabase(dir)));
      const versions = dbs[0]
        ?.prepare('SELECT version FROM migrations ORDER BY version')
        .pluck()
        .all() as number[];
      const opened = dbs.map((db) => createSqliteTaskStore(db));
      stores.push(...opened);
      return { stores: opened, versions };
    },
    async cleanup() {
      for (const s of stores.splice(0)) await s.close();
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

function postgresArm(): Arm {
  let cluster: TestPostgres | undefined;
  let databases = 0;
  const stores: TaskStore[] = [];
  const freshDatabase = () => {
    if (!cluster) throw new Error('the PostgreSQL cluster did not start');
    databases += 1;
    return createDatabase(cluster.url, `conformance_${databases}`);
  };
  const openOn = async (url: string, clock?: ReturnType<typeof manualClock>) => {
    const store = await createPostgresTaskStore({ url, poolSize: 4, ...(clock ? { clock } : {}) });
    stores.push(store);
    return store;
  };
  return {
    kind: 'postgres',
    async setup() {
      cluster = await startPostgres();
    },
    async teardown() {
      await cluster?.stop();
    },
    async open() {
      const url = await freshDatabase();
      const clock = manualClock(Date.now());
      const store = await openOn(url, clock);
      const replica = await openOn(url, clock);
      return { store, replica, lapse: (ms) => sleep(ms + 20), clock };
    },
    async openTwiceAtOnce() {
      const url = await freshDatabase();
      const opened = await Promise.all([openOn(url), openOn(url)]);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: number }>(
          'SELECT version FROM migrations ORDER BY version',
        );
        return { stores: opened, versions: rows.map((r) => r.version) };
      } finally {
        await client.end();
      }
    },
    async cleanup() {
      for (const s of stores.splice(0)) await s.close();
    },
  };
}

let made = 0;
const BASE_TIME = 1_700_000_000_000;

/** A whole image2video task, queued and not yet ready; ids and external ids unique across the file. */
function task(over: TaskRecordOverrides = {}): TaskRecord {
  made += 1;
  const id = `task-${made}`;
  return taskRecord(id, {
    prompt: `prompt of ${id}`,
    createdAt: BASE_TIME + made,
    // Pinned apart from createdAt: a test that moves createdAt keeps the row's place in updatedAt order.
    updatedAt: BASE_TIME + made,
    request: { model_name: 'kling-v2-6', prompt: `prompt of ${id}`, image: 'input:image' },
    clientId: 'client-a',
    priceUnits: 1.5,
    ...over,
  });
}

const running = (over: TaskRecordOverrides = {}) =>
  task({ status: 'processing', sentAt: BASE_TIME, klingTaskId: `k-${made + 1}`, ...over });

async function insertAll(store: TaskStore, records: TaskRecord[]) {
  for (const r of records) await store.insert(r);
  return records;
}

const error = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
};

const HOLD_MS = 60_000;
const SHORT_MS = 40;

describe.each([sqliteArm(), postgresArm()])('$kind task store', (arm) => {
  beforeAll(() => arm.setup(), 60_000);
  afterAll(() => arm.teardown(), 60_000);
  afterEach(() => arm.cleanup());

  describe('records', () => {
    it('reads back what it inserted, by id, external id and callback hash', async () => {
      const { store } = await arm.open();
      const a = await insertAll(store, [task({ callbackTokenHash: 'hash-a' })]).then(
        (r) => r[0] as TaskRecord,
      );
      expect(store.kind).toBe(arm.kind);
      expect(await store.get(a.id)).toEqual(a);
      expect(await store.getByExternalId(a.externalTaskId)).toEqual(a);
      expect(await store.getByCallbackHash('hash-a')).toEqual(a);
      expect(await store.get('nope')).toBeUndefined();
      expect(await store.getByExternalId('nope')).toBeUndefined();
      expect(await store.getByCallbackHash('nope')).toBeUndefined();
    });

    it('round-trips every field through update: JSON, booleans, numbers and nulls', async () => {
      const { store, clock } = await arm.open();
      const a = task({ kind: 'motion-control' } as TaskRecordOverrides);
      await store.insert(a);
      const everything = {
        kind: 'motion-control',
        externalTaskId: 'ext-changed',
        klingTaskId: 'kling-1',
        status: 'succeed',
        statusMessage: 'done — ✓',
        model: 'kling-v2-6',
        mode: 'pro',
        duration: '10',
        motion: 'reference',
        prompt: 'a "quoted" prompt',
        units: '2',
        createdAt: BASE_TIME - 5,
        updatedAt: BASE_TIME + 99_999_999,
        finishedAt: BASE_TIME + 100_000_000,
        confirmedAt: BASE_TIME + 1,
        resultUrl: 'https://cdn.example/v.mp4',
        resultDuration: '10.04',
        videoPath: 'videos/a.mp4',
        videoBytes: 12_345_678_901,
        videoDuration: '10.0',
        archivedAt: BASE_TIME + 100_000_001,
        callbackTokenHash: 'hash-changed',
        request: {
          model_name: 'kling-v2-6',
          image_url: 'input:image_url',
          video_url: 'upload:abc',
          character_orientation: 'image',
          mode: 'pro',
        },
        inputs: {
          image_url: {
            file: 'image_url.png',
            format: 'png',
            width: 640,
            height: 480,
            bytes: 999,
            source: 'base64',
          },
        },
        reference: {
          file: 'reference.mp4',
          format: 'mp4',
          width: 1280,
          height: 720,
          bytes: 5_000_000,
          durationMs: 7_500,
          source: 'upload',
          hasAudio: true,
          uploadId: 'up-1',
        },
        hasThumbnail: true,
        clientId: 'client-z',
        sentAt: BASE_TIME + 2,
        queueSeq: 42,
        priceUnits: 2.25,
        batchId: 'batch-1',
        batchIndex: 2,
        batchSize: 3,
        uploadBase: 'https://studio.example',
      } as Partial<TaskRecord>;
      const updated = await store.update(a.id, everything);
      const expected = { ...a, ...everything } as TaskRecord;
      expect(updated).toEqual(expected);
      expect(await store.get(a.id)).toEqual(expected);

      const cleared = {
        klingTaskId: null,
        statusMessage: null,
        mode: null,
        units: null,
        finishedAt: null,
        confirmedAt: null,
        resultUrl: null,
        videoBytes: null,
        callbackTokenHash: null,
        reference: null,
        hasThumbnail: false,
        clientId: null,
        sentAt: null,
        queueSeq: null,
        priceUnits: null,
        batchId: null,
        batchIndex: null,
        batchSize: null,
        uploadBase: null,
      } as Partial<TaskRecord>;
      // A patch without updatedAt is stamped with the store's clock; an empty one writes nothing.
      const stampedAt = clock.now();
      expect(await store.update(a.id, cleared)).toEqual({ ...expected, ...cleared, updatedAt: stampedAt });
      clock.advance(1000);
      expect(await store.update(a.id, {})).toEqual({ ...expected, ...cleared, updatedAt: stampedAt });
      expect(await error(store.update('nope', { prompt: 'x' }))).toBeInstanceOf(Error);
    });

    it('updateIfStatus writes only while the task is in that status', async () => {
      const { store } = await arm.open();
      const [a] = await insertAll(store, [running()]);
      if (!a) throw new Error('no task');
      expect(await store.updateIfStatus(a.id, 'queued', { statusMessage: 'late' })).toBeUndefined();
      expect((await store.get(a.id))?.statusMessage).toBeNull();
      expect(await store.updateIfStatus(a.id, 'processing', { status: 'succeed' })).toMatchObject({
        status: 'succeed',
      });
      expect(await store.updateIfStatus(a.id, 'succeed', {})).toMatchObject({ id: a.id });
      expect(await store.updateIfStatus(a.id, 'processing', {})).toBeUndefined();
    });

    it('deletes', async () => {
      const { store } = await arm.open();
      const [a, b] = await insertAll(store, [task(), task()]);
      await store.delete(a?.id ?? '');
      expect(await store.get(a?.id ?? '')).toBeUndefined();
      expect(await store.get(b?.id ?? '')).toEqual(b);
    });

    it('refuses a taken external id with DuplicateExternalId, and a transaction keeps none of its inserts', async () => {
      const { store } = await arm.open();
      const a = task();
      await store.insert(a);
      expect(await error(store.insert(task({ externalTaskId: a.externalTaskId })))).toBeInstanceOf(
        DuplicateExternalId,
      );
      const first = task();
      const e = await error(
        store.transaction(async (tx) => {
          await tx.insert(first);
          await tx.insert(task({ externalTaskId: a.externalTaskId }));
        }),
      );
      expect(e).toBeInstanceOf(DuplicateExternalId);
      expect(await store.get(first.id)).toBeUndefined();
      expect((await store.list({ limit: 10 })).records.map((r) => r.id)).toEqual([a.id]);
    });

    it('inserts many at once, all or none: a taken external id among them keeps none', async () => {
      const { store, replica } = await arm.open();
      const batch = [task(), task({ clientId: null }), task()];
      await store.insertMany(batch);
      for (const r of batch) expect(await replica.get(r.id)).toEqual(r);
      const refused = [task(), task({ externalTaskId: batch[1]?.externalTaskId }), task()];
      expect(await error(replica.insertMany(refused))).toBeInstanceOf(DuplicateExternalId);
      for (const r of refused) expect(await store.get(r.id)).toBeUndefined();
      // Inside a transaction too, rolled back with it.
      const inside = [task(), task()];
      const boom = new Error('boom');
      expect(
        await error(
          store.transaction(async (tx) => {
            await tx.insertMany(inside);
            expect(await tx.get(inside[1]?.id ?? '')).toEqual(inside[1]);
            throw boom;
          }),
        ),
      ).toBe(boom);
      for (const r of inside) expect(await store.get(r.id)).toBeUndefined();
      await store.insertMany([]);
      expect(await store.countUnfinished()).toBe(3);
    });
  });

  describe('history', () => {
    it('pages newest first by cursor: the pages make the whole order, with and without a status', async () => {
      const { store } = await arm.open();
      // Ties on created_at are broken by insertion order (newest insert first).
      const tied = BASE_TIME + 500_000;
      const records: TaskRecord[] = [];
      for (let i = 0; i < 23; i++)
        records.push(
          task({
            createdAt: i % 3 === 0 ? tied : BASE_TIME + 600_000 + i,
            status: i % 2 ? 'succeed' : 'queued',
          }),
        );
      await insertAll(store, records);
      const order = records
        .map((r, i) => ({ r, i }))
        .sort((x, y) => y.r.createdAt - x.r.createdAt || y.i - x.i)
        .map(({ r }) => r.id);

      const readAll = async (status?: 'succeed') => {
        const ids: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.list({
            limit: 5,
            ...(status ? { status } : {}),
            ...(cursor ? { cursor } : {}),
          });
          expect(page.records.length).toBeLessThanOrEqual(5);
          ids.push(...page.records.map((r) => r.id));
          cursor = page.nextCursor ?? undefined;
          pages += 1;
        } while (cursor);
        return { ids, pages };
      };
      const all = await readAll();
      expect(all.ids).toEqual(order);
      expect(all.pages).toBe(5);
      const succeeded = await readAll('succeed');
      const succeededIds = new Set(records.filter((r) => r.status === 'succeed').map((r) => r.id));
      expect(succeeded.ids).toEqual(order.filter((id) => succeededIds.has(id)));

      const exact = await store.list({ limit: 23 });
      expect(exact.records).toHaveLength(23);
      expect(exact.nextCursor).toBeNull();
      expect((await store.list({ limit: 1 })).records[0]).toEqual(records.find((r) => r.id === order[0]));
      expect(await store.list({ limit: 5, status: 'failed' })).toEqual({ records: [], nextCursor: null });
    });

    it('answers an empty page for an empty store, and refuses a cursor it did not make', async () => {
      const { store } = await arm.open();
      expect(await store.list({ limit: 10 })).toEqual({ records: [], nextCursor: null });
      expect(await error(store.list({ limit: 10, cursor: 'not-a-cursor' }))).toBeInstanceOf(BadCursor);
      expect(await error(store.list({ limit: 10, cursor: '12.' }))).toBeInstanceOf(BadCursor);
    });
  });

  describe('counts', () => {
    it('counts running, confirmed, unfinished and queued tasks, and lists the running oldest first', async () => {
      const { store } = await arm.open();
      const later = running({ createdAt: BASE_TIME + 2_000_000, confirmedAt: BASE_TIME });
      const earlier = running({ status: 'submitted', createdAt: BASE_TIME + 1_000_000 });
      await insertAll(store, [
        later,
        earlier,
        task(),
        task({ sentAt: BASE_TIME }),
        task({ status: 'succeed' }),
        task({ status: 'failed' }),
        task({ status: 'cancelled' }),
      ]);
      expect(await store.countRunning()).toBe(2);
      expect(await store.listConfirmedRunningIds()).toEqual([later.id]);
      expect(await store.countUnfinished()).toBe(4);
      expect(await store.countQueued()).toBe(2);
      expect((await store.listUnfinished()).map((r) => r.id)).toEqual([earlier.id, later.id]);
    });

    it('sums the units the budget counts since a moment', async () => {
      const { store } = await arm.open();
      const since = BASE_TIME + 3_000_000;
      await insertAll(store, [
        task({ createdAt: since - 1, priceUnits: 100 }),
        task({ createdAt: since, priceUnits: 1 }),
        running({ createdAt: since + 1, priceUnits: 2 }),
        task({ createdAt: since + 2, status: 'succeed', priceUnits: 4 }),
        task({ createdAt: since + 3, status: 'failed', klingTaskId: 'k-took-it', priceUnits: 8 }),
        task({ createdAt: since + 4, status: 'failed', klingTaskId: null, priceUnits: 16 }),
        task({ createdAt: since + 5, status: 'cancelled', priceUnits: 32 }),
        task({ createdAt: since + 6, priceUnits: 0.25 }),
        task({ createdAt: since + 7, priceUnits: null }),
      ]);
      expect(await store.spentSince(since)).toBe(15.25);
      expect(await store.spentSince(since + 100)).toBe(0);
      // Admission reads every figure at once, as spentSince, countUnfinished and recentCreates answer them apart.
      const unfinished = await store.countUnfinished();
      expect(unfinished).toBe(5);
      await store.recordCreate('198.51.100.7', since + 10, 0);
      const peer = '198.51.100.7';
      expect(await store.admissionCounts({ since, peer, recentSince: since })).toEqual({
        spentUnits: 15.25,
        unfinished,
        recent: { count: 1, oldest: since + 10 },
      });
      expect(
        await store.transaction((tx) =>
          tx.admissionCounts({ since: since + 100, peer, recentSince: since + 11 }),
        ),
      ).toEqual({ spentUnits: 0, unfinished, recent: { count: 0, oldest: null } });
    });

    it("counts a peer's creates in the rate window, apart from other peers', and forgets what left it", async () => {
      const { store } = await arm.open();
      const t = BASE_TIME + 4_000_000;
      const [a, b] = ['198.51.100.1', '2001:db8::1'];
      expect(await store.recentCreates(a, 0)).toEqual({ count: 0, oldest: null });
      await store.recordCreate(a, t, 0);
      await store.recordCreate(b, t + 1, 0);
      await store.transaction((tx) => tx.recordCreate(a, t + 2, 0));
      expect(await store.recentCreates(a, t)).toEqual({ count: 2, oldest: t });
      expect(await store.recentCreates(a, t + 1)).toEqual({ count: 1, oldest: t + 2 });
      expect(await store.recentCreates(b, t)).toEqual({ count: 1, oldest: t + 1 });
      // A record forgets every peer's creates before its window: they no longer count, and are not kept.
      await store.recordCreate(b, t + 60_000, t + 2);
      expect(await store.recentCreates(a, 0)).toEqual({ count: 1, oldest: t + 2 });
      expect(await store.recentCreates(b, 0)).toEqual({ count: 1, oldest: t + 60_000 });
    });
  });

  describe('queue', () => {
    /** Inserts tasks and makes each whole, in order. */
    async function ready(store: TaskStore, records: TaskRecord[]) {
      for (const r of records) {
        await store.insert(r);
        await store.markReady(r.id);
      }
      return Promise.all(records.map(async (r) => (await store.get(r.id)) as TaskRecord));
    }

    it('gives a task becoming whole the next place, once; heads and ranks follow the places', async () => {
      const { store } = await arm.open();
      const [a1, b1, a2, n1] = await ready(store, [
        task({ clientId: 'a' }),
        task({ clientId: 'b' }),
        task({ clientId: 'a' }),
        task({ clientId: null }),
      ]);
      if (!a1 || !b1 || !a2 || !n1) throw new Error('missing tasks');
      const seqs = [a1, b1, a2, n1].map((r) => r.queueSeq as number);
      expect(seqs.every((s, i) => i === 0 || s > (seqs[i - 1] as number))).toBe(true);
      await store.markReady(a1.id);
      expect((await store.get(a1.id))?.queueSeq).toBe(a1.queueSeq);

      const unready = task({ clientId: 'a' });
      await store.insert(unready);
      expect((await store.listUnready()).map((r) => r.id)).toEqual([unready.id]);

      const heads = (await store.queueHeads()).sort((x, y) => x.clientId.localeCompare(y.clientId));
      expect(heads).toEqual([
        { id: n1.id, clientId: '', seq: n1.queueSeq, count: 1, served: 0 },
        { id: a1.id, clientId: 'a', seq: a1.queueSeq, count: 2, served: 0 },
        { id: b1.id, clientId: 'b', seq: b1.queueSeq, count: 1, served: 0 },
      ]);
      expect(await store.rankInClient('a', a1.queueSeq as number)).toBe(1);
      expect(await store.rankInClient('a', a2.queueSeq as number)).toBe(2);
      expect(await store.rankInClient(null, n1.queueSeq as number)).toBe(1);
      expect(await store.rankInClient('b', b1.queueSeq as number)).toBe(1);
    });

    it('gives tasks made whole (or moved to the front) at once on two replicas distinct places', async () => {
      const { store, replica } = await arm.open();
      const records = await insertAll(
        store,
        Array.from({ length: 10 }, () => task({ clientId: 'a' })),
      );
      await Promise.all(records.map((r, i) => (i % 2 ? replica : store).markReady(r.id)));
      const placed = await Promise.all(records.map(async (r) => (await store.get(r.id))?.queueSeq));
      expect(new Set(placed).size).toBe(10);
      await Promise.all(records.slice(0, 4).map((r, i) => (i % 2 ? replica : store).moveToFront(r.id)));
      const moved = await Promise.all(records.map(async (r) => (await store.get(r.id))?.queueSeq));
      expect(new Set(moved).size).toBe(10);
      const ranks = await Promise.all(moved.map((seq) => store.rankInClient('a', seq as number)));
      expect(ranks.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('places a task made whole after moves to the front behind every waiting task, on either replica', async () => {
      const { store, replica } = await arm.open();
      const [a1, a2] = await ready(store, [task({ clientId: 'a' }), task({ clientId: 'a' })]);
      if (!a1 || !a2) throw new Error('missing tasks');
      expect(await replica.moveToFront(a2.id)).toBe(true);
      expect(await store.moveToFront(a1.id)).toBe(true);
      const later = task({ clientId: 'a' });
      await replica.insert(later);
      await replica.markReady(later.id);
      const seq = (await store.get(later.id))?.queueSeq as number;
      expect(await store.rankInClient('a', seq)).toBe(3);
      const heads = await store.queueHeads();
      expect(heads).toEqual([expect.objectContaining({ id: a1.id, count: 3 })]);
    });

    it('claims a waiting task for sending once: it leaves the waiting set and is in flight', async () => {
      const { store } = await arm.open();
      const [a1, a2] = await ready(store, [task({ clientId: 'a' }), task({ clientId: 'a' })]);
      if (!a1 || !a2) throw new Error('missing tasks');
      expect(await store.claimForSending(a1.id, BASE_TIME + 7)).toBe(true);
      expect(await store.claimForSending(a1.id, BASE_TIME + 8)).toBe(false);
      expect((await store.get(a1.id))?.sentAt).toBe(BASE_TIME + 7);
      expect((await store.listInFlight()).map((r) => r.id)).toEqual([a1.id]);
      expect(await store.queueHeads()).toEqual([
        { id: a2.id, clientId: 'a', seq: a2.queueSeq, count: 1, served: expect.any(Number) },
      ]);
      expect(await store.rankInClient('a', a2.queueSeq as number)).toBe(1);
      const unready = task();
      await store.insert(unready);
      expect(await store.claimForSending(unready.id, BASE_TIME)).toBe(false);
    });

    it("gives every send the next turn, whichever replica claims it, and each head its client's last one", async () => {
      const { store, replica } = await arm.open();
      const [a1, b1, a2, n1, a3, b2, n2] = await ready(store, [
        task({ clientId: 'a' }),
        task({ clientId: 'b' }),
        task({ clientId: 'a' }),
        task({ clientId: null }),
        task({ clientId: 'a' }),
        task({ clientId: 'b' }),
        task({ clientId: null }),
      ]);
      if (!a1 || !b1 || !a2 || !n1 || !a3 || !b2 || !n2) throw new Error('missing tasks');
      const turns = async () =>
        Object.fromEntries((await store.queueHeads()).map((h) => [h.clientId, h.served]));
      expect(await turns()).toEqual({ a: 0, b: 0, '': 0 });
      expect(await store.claimForSending(a1.id, BASE_TIME)).toBe(true);
      const first = (await turns()).a as number;
      expect(first).toBeGreaterThan(0);
      expect(await replica.claimForSending(b1.id, BASE_TIME)).toBe(true);
      expect(await store.claimForSending(n1.id, BASE_TIME)).toBe(true);
      expect(await replica.claimForSending(a2.id, BASE_TIME)).toBe(true);
      const later = await turns();
      expect((later.b as number) > first).toBe(true);
      expect((later[''] as number) > (later.b as number)).toBe(true);
      expect((later.a as number) > (later[''] as number)).toBe(true);
      // A client's last turn stays when its sent tasks finish: it is the largest on any of its tasks.
      await store.update(a2.id, { status: 'succeed', finishedAt: BASE_TIME + 1 });
      expect(await turns()).toEqual(later);
      // A refused claim takes no turn.
      expect(await store.claimForSending(a1.id, BASE_TIME)).toBe(false);
      expect(await turns()).toEqual(later);
      // Both replicas read the same turns.
      expect(Object.fromEntries((await replica.queueHeads()).map((h) => [h.clientId, h.served]))).toEqual(
        later,
      );
    });

    it('lets exactly one of two replicas claiming the same task at once have it', async () => {
      const { store, replica } = await arm.open();
      const records = await ready(
        store,
        Array.from({ length: 8 }, () => task()),
      );
      for (const r of records) {
        const answers = await Promise.all([
          store.claimForSending(r.id, BASE_TIME + 1),
          replica.claimForSending(r.id, BASE_TIME + 2),
        ]);
        expect(answers.filter(Boolean)).toHaveLength(1);
      }
      expect(await store.listInFlight()).toHaveLength(8);
    });

    it('cancels a waiting task once, and never one in flight', async () => {
      const { store, replica } = await arm.open();
      const [a, b, c] = await ready(store, [task(), task(), task()]);
      if (!a || !b || !c) throw new Error('missing tasks');
      expect(await store.cancel(a.id, BASE_TIME + 50, 'Cancelled by you')).toBe(true);
      expect(await store.get(a.id)).toMatchObject({
        status: 'cancelled',
        statusMessage: 'Cancelled by you',
        finishedAt: BASE_TIME + 50,
        updatedAt: BASE_TIME + 50,
      });
      expect(await store.cancel(a.id, BASE_TIME + 51, 'again')).toBe(false);
      expect(await store.claimForSending(b.id, BASE_TIME)).toBe(true);
      expect(await store.cancel(b.id, BASE_TIME, 'too late')).toBe(false);
      expect(await store.cancel('nope', BASE_TIME, 'x')).toBe(false);
      // Cancel and send racing on two replicas: exactly one wins.
      const [sent, cancelled] = await Promise.all([
        store.claimForSending(c.id, BASE_TIME),
        replica.cancel(c.id, BASE_TIME, 'race'),
      ]);
      expect(sent !== cancelled).toBe(true);
    });

    it('moves a waiting task before every other waiting task of its client', async () => {
      const { store } = await arm.open();
      const [a1, a2, b1, a3] = await ready(store, [
        task({ clientId: 'a' }),
        task({ clientId: 'a' }),
        task({ clientId: 'b' }),
        task({ clientId: 'a' }),
      ]);
      if (!a1 || !a2 || !b1 || !a3) throw new Error('missing tasks');
      expect(await store.moveToFront(a3.id)).toBe(true);
      const moved = (await store.get(a3.id)) as TaskRecord;
      expect(await store.rankInClient('a', moved.queueSeq as number)).toBe(1);
      expect(await store.rankInClient('a', a1.queueSeq as number)).toBe(2);
      const heads = await store.queueHeads();
      expect(heads.find((h) => h.clientId === 'a')).toEqual({
        id: a3.id,
        clientId: 'a',
        seq: moved.queueSeq,
        count: 3,
        served: 0,
      });
      expect(heads.find((h) => h.clientId === 'b')?.id).toBe(b1.id);
      expect(await store.claimForSending(a2.id, BASE_TIME)).toBe(true);
      expect(await store.moveToFront(a2.id)).toBe(false);
      expect(await store.moveToFront('nope')).toBe(false);
      const [n1, n2] = await ready(store, [task({ clientId: null }), task({ clientId: null })]);
      expect(await store.moveToFront(n2?.id ?? '')).toBe(true);
      expect((await store.queueHeads()).find((h) => h.clientId === '')?.id).toBe(n2?.id);
      expect(await store.rankInClient(null, n1?.queueSeq as number)).toBe(2);
    });

    it("keeps the dispatcher's notes, the last write winning", async () => {
      const { store, replica } = await arm.open();
      expect(await store.readQueueState('limit')).toBeUndefined();
      await store.writeQueueState('limit', '3');
      await replica.writeQueueState('limit', '4');
      expect(await store.readQueueState('limit')).toBe('4');
    });
  });

  describe('catch-up reads', () => {
    /** The order listUpdatedSince promises: updatedAt, then id byte by byte (ASCII ids: JS's `<`). */
    const byUpdated = (x: TaskRecord, y: TaskRecord) =>
      x.updatedAt - y.updatedAt || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

    /** Walks the pages as the fan-out does: each one after the last row of the one before. */
    async function readPages(reader: FanoutStore, since: number, limit: number) {
      const read: TaskRecord[] = [];
      let after: { updatedAt: number; id: string } | undefined;
      for (;;) {
        const page = await reader.listUpdatedSince({ since, limit, ...(after ? { after } : {}) });
        expect(page.length).toBeLessThanOrEqual(limit);
        read.push(...page);
        if (page.length < limit) return read;
        const last = page.at(-1) as TaskRecord;
        after = { updatedAt: last.updatedAt, id: last.id };
      }
    }

    it('pages the tasks changed since a moment, oldest first by (updatedAt, id), each once at its latest place', async () => {
      const { store } = await arm.open();
      // What the fan-out reads a TaskStore as.
      const reader: FanoutStore = store;
      const since = BASE_TIME + 20_000_000;
      const before = await insertAll(store, [
        task({ updatedAt: since - 1 }),
        task({ updatedAt: since - 60_000 }),
      ]);
      // Ties on updatedAt, inserted out of id order, with ids a locale's collation would order otherwise.
      const tied = ['tie_a', 'tie-B', 'tie-a', 'tie-Z', 'tie-0'].map((id) =>
        task({ id, updatedAt: since + 5 }),
      );
      const [twice, lateMover, atSince] = await insertAll(store, [
        task({ updatedAt: since + 1 }),
        task({ updatedAt: since - 5 }),
        task({ updatedAt: since }),
        ...tied,
        ...Array.from({ length: 6 }, (_, i) => task({ updatedAt: since + 10 + (i % 3) })),
      ]);
      if (!twice || !lateMover || !atSince) throw new Error('missing tasks');
      await store.update(twice.id, { statusMessage: 'first', updatedAt: since + 2 });
      await store.update(twice.id, { status: 'processing', updatedAt: since + 20 });
      await store.update(lateMover.id, { statusMessage: 'moved on', updatedAt: since + 7 });

      const everything = (await store.list({ limit: 100 })).records;
      const expected = everything.filter((r) => r.updatedAt >= since).sort(byUpdated);
      expect(expected.map((r) => r.id)).not.toContain(before[0]?.id);
      expect(expected.at(-1)?.id).toBe(twice.id);
      expect(expected.filter((r) => r.id.startsWith('tie')).map((r) => r.id)).toEqual([
        'tie-0',
        'tie-B',
        'tie-Z',
        'tie-a',
        'tie_a',
      ]);

      for (const limit of [1, 3, 5, expected.length, 100]) {
        const read = await readPages(reader, since, limit);
        expect(read.map((r) => r.id)).toEqual(expected.map((r) => r.id));
        // Whole records, as `get` reads them: the fan-out publishes them as read.
        expect(read).toEqual(expected);
      }
      // An `after` older than `since` does not reach back past `since`.
      expect(
        await reader.listUpdatedSince({ since, after: { updatedAt: since - 60_000, id: 'zzz' }, limit: 100 }),
      ).toEqual(expected);
      const fromTie = await reader.listUpdatedSince({
        since,
        after: { updatedAt: since + 5, id: 'tie-Z' },
        limit: 2,
      });
      expect(fromTie.map((r) => r.id)).toEqual(['tie-a', 'tie_a']);
      expect(await reader.listUpdatedSince({ since: since + 21, limit: 10 })).toEqual([]);
    });

    it('sees every write the web sees (the queue, cancel, untimed patches), and none of the lease bookkeeping', async () => {
      const { store, replica, clock } = await arm.open();
      const t1 = BASE_TIME + 30_000_000;
      clock.set(t1);
      const [ready, moved, sent, fencedSent, cancelled, patched, conditional, tracked, leasedOnly] =
        await insertAll(store, [
          task({ clientId: 'a' }),
          task({ clientId: 'a' }),
          task({ clientId: 'a' }),
          task({ clientId: 'a' }),
          task({ clientId: 'a' }),
          task(),
          task(),
          running(),
          running(),
        ]);
      if (!ready || !moved || !sent || !fencedSent || !cancelled || !patched || !conditional)
        throw new Error('missing tasks');
      if (!tracked || !leasedOnly) throw new Error('missing tasks');
      for (const r of [ready, moved, sent, fencedSent, cancelled]) await replica.markReady(r.id);
      const readied = await store.listUpdatedSince({ since: t1, limit: 50 });
      expect(readied.map((r) => [r.id, r.updatedAt])).toEqual(
        [ready, moved, sent, fencedSent, cancelled]
          .map((r) => r.id)
          .sort()
          .map((id) => [id, t1]),
      );

      const t2 = t1 + 1_000;
      clock.set(t2);
      expect(await store.transaction((tx) => tx.moveToFront(moved.id))).toBe(true);
      expect(await store.claimForSending(sent.id, t2 + 20)).toBe(true);
      const fence = await replica.claimRole('dispatcher', 'replica-2', HOLD_MS);
      if (!fence) throw new Error('no role');
      expect(await replica.claimForSending(fencedSent.id, t2 + 25, fence)).toBe(true);
      expect(await store.cancel(cancelled.id, t2 + 30, 'Cancelled by you')).toBe(true);
      await store.update(patched.id, { statusMessage: 'noted' });
      expect(
        await store.updateIfStatus(conditional.id, 'queued', { statusMessage: 'still queued' }),
      ).toMatchObject({
        updatedAt: t2,
      });
      const lease = await replica.claimTask(tracked.id, 'replica-2', HOLD_MS);
      if (!lease) throw new Error('not claimed');
      expect(
        await replica.updateFenced(tracked.id, { statusMessage: 'tracked' }, 'replica-2', lease),
      ).toMatchObject({
        updatedAt: t2,
      });

      // Writes that change nothing the web sees, or that were refused, leave updatedAt where it was.
      const held = await store.claimTask(leasedOnly.id, 'replica-1', HOLD_MS);
      if (!held) throw new Error('not claimed');
      expect(await store.updateFenced(leasedOnly.id, {}, 'replica-1', held)).toMatchObject({
        updatedAt: leasedOnly.updatedAt,
      });
      expect(await store.renewTracking('replica-1', [held], HOLD_MS)).toEqual([held]);
      await store.releaseTask('replica-1', held);
      await store.claimTracking('replica-1', HOLD_MS, 10);
      clock.set(t2 + 500);
      expect(await store.moveToFront(sent.id)).toBe(false);
      expect(await store.claimForSending(cancelled.id, t2 + 500)).toBe(false);
      expect(await store.cancel(sent.id, t2 + 500, 'too late')).toBe(false);
      expect(await store.updateIfStatus(patched.id, 'succeed', { statusMessage: 'never' })).toBeUndefined();
      await store.markReady(ready.id);

      const changed = await readPages(store, t2, 2);
      expect(Object.fromEntries(changed.map((r) => [r.id, r.updatedAt]))).toEqual({
        [moved.id]: t2,
        [sent.id]: t2 + 20,
        [fencedSent.id]: t2 + 25,
        [cancelled.id]: t2 + 30,
        [patched.id]: t2,
        [conditional.id]: t2,
        [tracked.id]: t2,
      });
      expect(changed).toEqual([...changed].sort(byUpdated));
      expect(changed.find((r) => r.id === sent.id)?.sentAt).toBe(t2 + 20);
      expect(changed.find((r) => r.id === cancelled.id)?.status).toBe('cancelled');
    });
  });

  describe('transactions', () => {
    it('commits what the function did and answers its value; rolls everything back when it throws', async () => {
      const { store } = await arm.open();
      const kept = task();
      expect(
        await store.transaction(async (tx) => {
          await tx.insert(kept);
          await tx.markReady(kept.id);
          return tx.countQueued();
        }),
      ).toBe(1);
      expect((await store.get(kept.id))?.queueSeq).not.toBeNull();
      const gone = task();
      const boom = new Error('boom');
      expect(
        await error(
          store.transaction(async (tx) => {
            await tx.insert(gone);
            await tx.update(kept.id, { prompt: 'changed' });
            expect(await tx.get(gone.id)).toEqual(gone);
            throw boom;
          }),
        ),
      ).toBe(boom);
      expect(await store.get(gone.id)).toBeUndefined();
      expect((await store.get(kept.id))?.prompt).toBe(kept.prompt);
    });

    it('serialises transactions: "count, then insert if below 3" never admits a fourth, across replicas', async () => {
      const { store, replica } = await arm.open();
      const attempts = Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? replica : store).transaction(async (tx) => {
          const queued = await tx.countQueued();
          // Between the count and the insert: any other transaction let in here would count the same.
          await sleep(5);
          if (queued >= 3) return false;
          await tx.insert(task());
          return true;
        }),
      );
      const admitted = await Promise.all(attempts);
      expect(admitted.filter(Boolean)).toHaveLength(3);
      expect(await store.countQueued()).toBe(3);
    });
  });

  describe('tracker leases', () => {
    it('hands each unfinished task to one of two replicas claiming at once, none twice', async () => {
      const { store, replica } = await arm.open();
      const tasks = await insertAll(store, [
        ...Array.from({ length: 9 }, () => running()),
        task(),
        task({ status: 'succeed' }),
      ]);
      const runningIds = tasks.filter((t) => t.status === 'processing').map((t) => t.id);
      const [mine, theirs] = await Promise.all([
        store.claimTracking('replica-1', HOLD_MS, 6),
        replica.claimTracking('replica-2', HOLD_MS, 6),
      ]);
      const ids = [...mine, ...theirs].map((l) => l.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual([...runningIds].sort());
      expect(mine.length).toBeLessThanOrEqual(6);
      expect(theirs.length).toBeLessThanOrEqual(6);
      expect([...mine, ...theirs].every((l) => l.epoch === 1)).toBe(true);
      expect(await store.claimTracking('replica-3', HOLD_MS, 10)).toEqual([]);
    });

    it('hands an expired lease over with a higher epoch; the old holder can neither write nor renew', async () => {
      const { store, replica, lapse } = await arm.open();
      const [t] = await insertAll(store, [running()]);
      if (!t) throw new Error('no task');
      const [old] = await store.claimTracking('replica-1', SHORT_MS, 10);
      if (!old) throw new Error('not claimed');
      expect(await store.updateFenced(t.id, { statusMessage: 'mine' }, 'replica-1', old)).toMatchObject({
        statusMessage: 'mine',
      });
      await lapse(SHORT_MS);
      const [taken] = await replica.claimTracking('replica-2', HOLD_MS, 10);
      expect(taken).toEqual({ id: t.id, epoch: old.epoch + 1 });
      if (!taken) throw new Error('not taken');

      expect(await store.updateFenced(t.id, { statusMessage: 'stale' }, 'replica-1', old)).toBeUndefined();
      expect(await store.updateFenced(t.id, {}, 'replica-1', old)).toBeUndefined();
      expect((await store.get(t.id))?.statusMessage).toBe('mine');
      expect(await store.renewTracking('replica-1', [old], HOLD_MS)).toEqual([]);
      // The new owner with the old epoch is fenced out too.
      expect(await replica.updateFenced(t.id, { statusMessage: 'x' }, 'replica-2', old)).toBeUndefined();

      expect(await replica.updateFenced(t.id, { status: 'succeed' }, 'replica-2', taken)).toMatchObject({
        status: 'succeed',
      });
    });

    it('writes fenced only while the lease is held and unexpired; an empty patch proves the lease', async () => {
      const { store, lapse } = await arm.open();
      const [t] = await insertAll(store, [running()]);
      if (!t) throw new Error('no task');
      const lease = await store.claimTask(t.id, 'replica-1', SHORT_MS);
      if (!lease) throw new Error('not claimed');
      expect(await store.updateFenced(t.id, {}, 'replica-1', lease)).toEqual(t);
      expect(await store.updateFenced(t.id, {}, 'replica-2', lease)).toBeUndefined();
      await lapse(SHORT_MS);
      // Expired but taken by nobody: still not a lease to write under.
      expect(await store.updateFenced(t.id, { prompt: 'late' }, 'replica-1', lease)).toBeUndefined();
      expect((await store.get(t.id))?.prompt).toBe(t.prompt);
    });

    it('renews only the leases still held, answering those', async () => {
      const { store, replica, lapse } = await arm.open();
      const [a, b, c] = await insertAll(store, [running(), running(), running()]);
      if (!a || !b || !c) throw new Error('missing tasks');
      const la = await store.claimTask(a.id, 'replica-1', HOLD_MS);
      const lb = await store.claimTask(b.id, 'replica-1', SHORT_MS);
      const lc = await store.claimTask(c.id, 'replica-1', HOLD_MS);
      if (!la || !lb || !lc) throw new Error('not claimed');
      await lapse(SHORT_MS);
      await replica.claimTask(b.id, 'replica-2', HOLD_MS);
      await store.releaseTask('replica-1', lc);
      expect(await store.renewTracking('replica-1', [la, lb, lc], HOLD_MS)).toEqual([la]);
      expect(await store.renewTracking('replica-1', [], HOLD_MS)).toEqual([]);
      // Renewed: it outlives the short lease's lapse again.
      await lapse(SHORT_MS);
      expect(await replica.claimTask(a.id, 'replica-2', HOLD_MS)).toBeUndefined();
    });

    it('claims one task when free, expired or own; steals only when asked; releases for anyone', async () => {
      const { store, replica, lapse } = await arm.open();
      const [t, queued] = await insertAll(store, [running(), task()]);
      if (!t || !queued) throw new Error('missing tasks');
      const first = await store.claimTask(t.id, 'replica-1', HOLD_MS);
      expect(first).toEqual({ id: t.id, epoch: 1 });
      expect(await store.claimTask(t.id, 'replica-1', HOLD_MS)).toEqual(first);
      expect(await replica.claimTask(t.id, 'replica-2', HOLD_MS)).toBeUndefined();
      const stolen = await replica.claimTask(t.id, 'replica-2', SHORT_MS, true);
      expect(stolen).toEqual({ id: t.id, epoch: 2 });
      if (!first || !stolen) throw new Error('not claimed');
      expect(await store.updateFenced(t.id, { prompt: 'x' }, 'replica-1', first)).toBeUndefined();
      await lapse(SHORT_MS);
      expect(await store.claimTask(t.id, 'replica-1', HOLD_MS)).toEqual({ id: t.id, epoch: 3 });
      await store.releaseTask('replica-1', { id: t.id, epoch: 3 });
      // A release by a former holder (old epoch) does nothing.
      await replica.claimTask(t.id, 'replica-2', HOLD_MS);
      await store.releaseTask('replica-1', { id: t.id, epoch: 3 });
      expect(await store.claimTask(t.id, 'replica-1', HOLD_MS)).toBeUndefined();

      expect(await store.claimTask(queued.id, 'replica-1', HOLD_MS)).toBeUndefined();
      expect(await store.claimTask('nope', 'replica-1', HOLD_MS)).toBeUndefined();
      await store.update(t.id, { status: 'succeed' });
      expect(await store.claimTask(t.id, 'replica-2', HOLD_MS, true)).toBeUndefined();
    });

    it('lets go of a lease so that a claim takes it at once', async () => {
      const { store, replica } = await arm.open();
      const [t] = await insertAll(store, [running()]);
      const [lease] = await store.claimTracking('replica-1', HOLD_MS, 1);
      if (!t || !lease) throw new Error('not claimed');
      expect(await replica.claimTracking('replica-2', HOLD_MS, 1)).toEqual([]);
      await store.releaseTask('replica-1', lease);
      expect(await replica.claimTracking('replica-2', HOLD_MS, 1)).toEqual([{ id: t.id, epoch: 2 }]);
    });
  });

  describe('roles', () => {
    it('one holder at a time: extended by its owner, taken over with a higher epoch when expired', async () => {
      const { store, replica, lapse } = await arm.open();
      const fence = await store.claimRole('dispatcher', 'replica-1', SHORT_MS);
      expect(fence).toEqual({ role: 'dispatcher', owner: 'replica-1', epoch: 1 });
      expect(await replica.claimRole('dispatcher', 'replica-2', HOLD_MS)).toBeUndefined();
      expect(await store.claimRole('dispatcher', 'replica-1', SHORT_MS)).toEqual(fence);
      expect(await store.claimRole('other-role', 'replica-2', HOLD_MS)).toEqual({
        role: 'other-role',
        owner: 'replica-2',
        epoch: 1,
      });
      await lapse(SHORT_MS);
      const next = await replica.claimRole('dispatcher', 'replica-2', HOLD_MS);
      expect(next).toEqual({ role: 'dispatcher', owner: 'replica-2', epoch: 2 });
      expect(await store.claimRole('dispatcher', 'replica-1', HOLD_MS)).toBeUndefined();
      if (!fence || !next) throw new Error('no fence');

      // Sending is fenced by the role: the former dispatcher's claim changes nothing.
      const t = task();
      await store.insert(t);
      await store.markReady(t.id);
      expect(await store.claimForSending(t.id, BASE_TIME, fence)).toBe(false);
      expect((await store.get(t.id))?.sentAt).toBeNull();
      expect(await replica.claimForSending(t.id, BASE_TIME, next)).toBe(true);

      await replica.releaseRole(next);
      const after = await store.claimRole('dispatcher', 'replica-1', HOLD_MS);
      expect(after).toEqual({ role: 'dispatcher', owner: 'replica-1', epoch: 3 });
      // A release with a stale fence lets go of nothing.
      await replica.releaseRole(next);
      expect(await replica.claimRole('dispatcher', 'replica-2', HOLD_MS)).toBeUndefined();
    });

    it('gives a new role to exactly one of two replicas claiming it at once', async () => {
      const { store, replica } = await arm.open();
      for (const role of ['r1', 'r2', 'r3', 'r4']) {
        const got = await Promise.all([
          store.claimRole(role, 'replica-1', HOLD_MS),
          replica.claimRole(role, 'replica-2', HOLD_MS),
        ]);
        expect(got.filter(Boolean)).toHaveLength(1);
      }
    });
  });

  describe('upload rows', () => {
    const upload = (id: string, createdAt: number, over: Partial<UploadRow> = {}): UploadRow => ({
      id,
      format: 'mp4',
      bytes: 3_000_000_000,
      width: 1920,
      height: 1080,
      durationMs: 9_500,
      hasAudio: true,
      createdAt,
      ...over,
    });

    it('stores uploads and claims; serves an upload only to a claiming task at Kling or being sent', async () => {
      const { store } = await arm.open();
      const u = upload('up-1', BASE_TIME);
      await store.uploads.insert(u);
      await store.uploads.insert(upload('up-2', BASE_TIME, { format: 'mov', hasAudio: false }));
      expect(await store.uploads.get('up-1')).toEqual(u);
      expect((await store.uploads.get('up-2'))?.hasAudio).toBe(false);
      expect(await store.uploads.get('nope')).toBeUndefined();
      expect((await store.uploads.allIds()).sort()).toEqual(['up-1', 'up-2']);

      const [waiting, sending, atKling, done] = await insertAll(store, [
        task(),
        task({ sentAt: BASE_TIME }),
        running(),
        task({ status: 'succeed' }),
      ]);
      if (!waiting || !sending || !atKling || !done) throw new Error('missing tasks');
      for (const t of [waiting, sending, atKling, done]) await store.uploads.claim('up-1', t.id);
      await store.uploads.claim('up-1', atKling.id);
      expect(await store.uploads.claimedByServable('up-1', waiting.id)).toBe(false);
      expect(await store.uploads.claimedByServable('up-1', sending.id)).toBe(true);
      expect(await store.uploads.claimedByServable('up-1', atKling.id)).toBe(true);
      expect(await store.uploads.claimedByServable('up-1', done.id)).toBe(false);
      expect(await store.uploads.claimedByServable('up-2', atKling.id)).toBe(false);

      const e = await error(store.uploads.claim('nope', waiting.id));
      expect(e).toBeInstanceOf(StudioError);
      expect(e).toMatchObject({ status: 404 });
    });

    it('removes the expired uploads no unfinished task claims, and answers them', async () => {
      const { store } = await arm.open();
      const cutoff = BASE_TIME + 10_000;
      const [unfinished, finished] = await insertAll(store, [task(), task({ status: 'failed' })]);
      if (!unfinished || !finished) throw new Error('missing tasks');
      await store.uploads.insert(upload('old-free', cutoff - 3));
      await store.uploads.insert(upload('old-held', cutoff - 2));
      await store.uploads.insert(upload('old-done', cutoff - 1, { format: 'mov' }));
      await store.uploads.insert(upload('old-ghost', cutoff - 1));
      await store.uploads.insert(upload('new-free', cutoff));
      await store.uploads.claim('old-held', unfinished.id);
      await store.uploads.claim('old-done', finished.id);
      // A claim of no task holds nothing.
      await store.uploads.claim('old-ghost', 'no-such-task');

      const removed = await store.uploads.removeExpired(cutoff);
      expect(removed.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
        { id: 'old-done', format: 'mov' },
        { id: 'old-free', format: 'mp4' },
        { id: 'old-ghost', format: 'mp4' },
      ]);
      expect((await store.uploads.allIds()).sort()).toEqual(['new-free', 'old-held']);
      expect(await error(store.uploads.claim('old-free', unfinished.id))).toMatchObject({ status: 404 });
      expect(await store.uploads.removeExpired(cutoff)).toEqual([]);
    });
  });

  describe('lifecycle', () => {
    it('answers ping while open, and not once closed', async () => {
      const { store } = await arm.open();
      expect(await store.ping()).toBe(true);
      await store.close();
      expect(await store.ping()).toBe(false);
    });

    it('migrates an empty database once when two stores open it at the same time', async () => {
      const { stores, versions } = await arm.openTwiceAtOnce();
      expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      const [a, b] = stores;
      if (!a || !b) throw new Error('not opened');
      const t = task();
      await a.insert(t);
      expect(await b.get(t.id)).toEqual(t);
    });
  });
});
