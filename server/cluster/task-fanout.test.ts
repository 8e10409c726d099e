import { describe, expect, it } from 'vitest';
import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import { createLogger, memoryLogger } from '../lib/logger.ts';
import { type TaskRecord, toStudioTask } from '../tasks/task-record.ts';
import { acceptedTaskRecord } from '../testing/task-records.ts';
import { createTaskEvents, type TaskEvents } from '../tracker/task-events.ts';
import { type CatchUp, type Change, type ChangeFeed, createLocalChangeHub } from './change-feed.ts';
import {
  announcingEvents,
  createAnnouncer,
  createTaskFanout,
  type FanoutStore,
  type UpdatedCursor,
} from './task-fanout.ts';

const quiet = createLogger({ write: () => {} });

const record = (id: string, updatedAt = 1000, status: TaskRecord['status'] = 'processing') =>
  acceptedTaskRecord(id, { createdAt: 1, updatedAt, status });

/** The shared database, as far as the fan-out reads it: rows by id, every read counted. */
function fakeStore(rows: TaskRecord[] = []) {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const reads: string[] = [];
  const pages: { since: number; after?: UpdatedCursor; limit: number }[] = [];
  const store: FanoutStore & { put(r: TaskRecord): void; reads: string[]; pages: typeof pages } = {
    reads,
    pages,
    put: (r) => byId.set(r.id, r),
    async get(id) {
      reads.push(id);
      return byId.get(id);
    },
    async listUpdatedSince(q) {
      pages.push(q);
      const key = (r: TaskRecord) => [r.updatedAt, r.id] as const;
      const later = (r: TaskRecord) =>
        q.after
          ? key(r)[0] > q.after.updatedAt || (key(r)[0] === q.after.updatedAt && r.id > q.after.id)
          : r.updatedAt >= q.since;
      return [...byId.values()]
        .filter(later)
        .sort((a, b) => a.updatedAt - b.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, q.limit);
    },
  };
  return store;
}

function published(events: TaskEvents) {
  const tasks: StudioTask[] = [];
  events.subscribe((t) => tasks.push(t));
  return tasks;
}

/** Two replicas on one database: `peer` announces, `here` runs the fan-out under test. */
function twoReplicas() {
  const hub = createLocalChangeHub();
  return { peer: hub.feed(), here: hub.feed() };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A local feed whose catch-up the test sets off (a local feed never loses a connection). */
function feedWithGaps(): ChangeFeed & { gap(since: number): void } {
  const inner = createLocalChangeHub().feed();
  const catchUps = new Set<(g: CatchUp) => void>();
  return {
    announce: inner.announce,
    subscribe: inner.subscribe,
    close: inner.close,
    onCatchUp(fn) {
      catchUps.add(fn);
      return () => catchUps.delete(fn);
    },
    gap(since) {
      for (const fn of catchUps) fn({ since });
    },
  };
}

describe('task fan-out', () => {
  it("reads a task another replica changed once and publishes it to this replica's clients", async () => {
    const { peer, here } = twoReplicas();
    const row = record('t1');
    const store = fakeStore([row]);
    const events = createTaskEvents();
    const seen = published(events);
    const fanout = createTaskFanout({ feed: here, store, events, log: quiet });
    await peer.announce(['t1']);
    await fanout.idle();
    expect(store.reads).toEqual(['t1']);
    expect(seen).toEqual([toStudioTask(row)]);
    await fanout.stop();
  });

  it('skips what this replica announced itself (its clients have it) and queue changes', async () => {
    const { here } = twoReplicas();
    const store = fakeStore([record('mine')]);
    const events = createTaskEvents();
    const seen = published(events);
    const fanout = createTaskFanout({ feed: here, store, events, log: quiet });
    await here.announce(['mine']);
    await here.announce(['mine'], 'queue');
    await fanout.idle();
    expect(store.reads).toEqual([]);
    expect(seen).toEqual([]);
    await fanout.stop();
  });

  it('a burst of changes to one task costs one read, whatever else changed with it', async () => {
    const { peer, here } = twoReplicas();
    const store = fakeStore([record('busy'), record('other')]);
    const events = createTaskEvents();
    const seen = published(events);
    const fanout = createTaskFanout({ feed: here, store, events, log: quiet });
    for (let i = 0; i < 50; i++) await peer.announce(['busy']);
    await peer.announce(['other', 'busy']);
    await fanout.idle();
    expect([...store.reads].sort()).toEqual(['busy', 'other']);
    expect(seen.map((t) => t.id).sort()).toEqual(['busy', 'other']);
    await fanout.stop();
  });

  it('a change heard while its task is being read is read again after', async () => {
    const { peer, here } = twoReplicas();
    const store = fakeStore([record('t', 1000, 'processing')]);
    const reading = deferred<void>();
    const firstRead = deferred<void>();
    const get = store.get;
    let calls = 0;
    store.get = async (id) => {
      const answer = await get(id);
      if (calls++ === 0) {
        reading.resolve();
        await firstRead.promise;
      }
      return answer;
    };
    const events = createTaskEvents();
    const seen = published(events);
    const fanout = createTaskFanout({ feed: here, store, events, log: quiet });
    await peer.announce(['t']);
    const first = fanout.idle();
    await reading.promise;
    // The read has the old row in hand; the peer now writes and announces again.
    store.put(record('t', 2000, 'succeed'));
    await peer.announce(['t']);
    firstRead.resolve();
    await first;
    await fanout.idle();
    expect(seen.map((t) => t.status)).toEqual(['processing', 'succeed']);
    await fanout.stop();
  });

  it('a read older than what this replica published meanwhile is not published after it', async () => {
    const { peer, here } = twoReplicas();
    const store = fakeStore([record('t', 1000, 'processing')]);
    const reading = deferred<void>();
    const release = deferred<void>();
    const get = store.get;
    store.get = async (id) => {
      const answer = await get(id);
      reading.resolve();
      await release.promise;
      return answer;
    };
    const events = createTaskEvents();
    const seen = published(events);
    const fanout = createTaskFanout({ feed: here, store, events, log: quiet });
    await peer.announce(['t']);
    const done = fanout.idle();
    await reading.promise;
    // This replica's tracker took the task over and published a newer state while the read was out.
    events.publish(toStudioTask(record('t', 3000, 'succeed')));
    release.resolve();
    await done;
    expect(seen.map((t) => t.status)).toEqual(['succeed']);
    await fanout.stop();
  });

  it('a task gone from the store is skipped, and a read that fails is logged without stopping the rest', async () => {
    const { peer, here } = twoReplicas();
    const store = fakeStore([record('kept')]);
    const get = store.get;
    store.get = async (id) => {
      if (id === 'broken') throw new Error('connection reset');
      return get(id);
    };
    const log = memoryLogger();
    const events = createTaskEvents();
    const seen = published(events);
    const fanout = createTaskFanout({ feed: here, store, events, log });
    await peer.announce(['gone', 'broken', 'kept']);
    await fanout.idle();
    expect(seen.map((t) => t.id)).toEqual(['kept']);
    expect(log.lines.some((l) => l.includes('could not read a changed task') && l.includes('broken'))).toBe(
      true,
    );
    await fanout.stop();
  });

  it('publishes what `present` makes of the record (the queue place, say)', async () => {
    const { peer, here } = twoReplicas();
    const row = record('waiting', 1000, 'queued');
    const events = createTaskEvents();
    const seen = published(events);
    const fanout = createTaskFanout({
      feed: here,
      store: fakeStore([row]),
      events,
      log: quiet,
      present: async (r) => toStudioTask(r, 3),
    });
    await peer.announce(['waiting']);
    await fanout.idle();
    expect(seen[0]?.queue).toEqual({ position: 3 });
    await fanout.stop();
  });

  it('reads nothing while no client of this replica watches, and reads again once one does', async () => {
    const store = fakeStore([record('a', 1000), record('b', 1000)]);
    const { peer, here } = twoReplicas();
    const events = createTaskEvents();
    const fanout = createTaskFanout({ feed: here, store, events, log: quiet });
    await peer.announce(['a']);
    await fanout.idle();
    expect(store.reads).toEqual([]);
    const seen = published(events);
    await peer.announce(['b']);
    await fanout.idle();
    expect(store.reads).toEqual(['b']);
    expect(seen.map((t) => t.id)).toEqual(['b']);
    await fanout.stop();
  });

  it('hears nothing once stopped', async () => {
    const { peer, here } = twoReplicas();
    const store = fakeStore([record('late')]);
    const events = createTaskEvents();
    const seen = published(events);
    const fanout = createTaskFanout({ feed: here, store, events, log: quiet });
    await fanout.stop();
    await peer.announce(['late']);
    await fanout.idle();
    expect(store.reads).toEqual([]);
    expect(seen).toEqual([]);
  });
});

describe('task fan-out catch-up', () => {
  const rows = [record('a', 100), record('b', 200), record('c', 200), record('d', 300), record('e', 400)];

  it('pages through the tasks changed since then, oldest first, each published once', async () => {
    const store = fakeStore([record('old', 50), ...rows]);
    const events = createTaskEvents();
    const seen = published(events);
    const fanout = createTaskFanout({
      feed: createLocalChangeHub().feed(),
      store,
      events,
      log: quiet,
      catchUpPageSize: 2,
    });
    expect(await fanout.catchUp(100)).toEqual({ published: 5, truncated: false });
    expect(seen.map((t) => t.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(store.pages.map((p) => p.after?.id)).toEqual([undefined, 'b', 'd']);
    await fanout.stop();
  });

  it('the feed listening again reads from its gap less the clock margin', async () => {
    const feed = feedWithGaps();
    const store = fakeStore(rows);
    const events = createTaskEvents();
    const seen = published(events);
    const fanout = createTaskFanout({ feed, store, events, log: quiet, skewMarginMs: 150 });
    feed.gap(400);
    await fanout.idle();
    expect(store.pages[0]?.since).toBe(250);
    expect(seen.map((t) => t.id)).toEqual(['d', 'e']);
    await fanout.stop();
  });

  it('stops at its cap and says so when more changed; a gap that only fills the cap is whole', async () => {
    const feed = feedWithGaps();
    const events = createTaskEvents();
    const seen = published(events);
    let tooLarge = 0;
    const log = memoryLogger();
    const fanout = createTaskFanout({
      feed,
      store: fakeStore(rows),
      events,
      log,
      catchUpPageSize: 2,
      catchUpMax: 3,
      skewMarginMs: 0,
      onGapTooLarge: () => tooLarge++,
    });
    feed.gap(0);
    await fanout.idle();
    // The handler's report runs after the catch-up settles: one more turn of the chain.
    await fanout.idle();
    expect(seen.map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect(tooLarge).toBe(1);
    expect(log.lines.some((l) => l.includes('more tasks changed during the gap'))).toBe(true);

    const exact = createTaskFanout({
      feed: createLocalChangeHub().feed(),
      store: fakeStore(rows.slice(0, 3)),
      events: createTaskEvents(),
      log: quiet,
      catchUpPageSize: 2,
      catchUpMax: 3,
    });
    expect(await exact.catchUp(0)).toEqual({ published: 3, truncated: false });
    await Promise.all([fanout.stop(), exact.stop()]);
  });
});

describe('task fan-out sweeps', () => {
  it('publishes a change no replica announced (its writer died first) once; what an event carried, never', async () => {
    let clock = 10_000;
    const store = fakeStore([record('old', 1_000), record('heard', 9_000)]);
    const { peer, here } = twoReplicas();
    const events = createTaskEvents();
    const seen = published(events);
    const fanout = createTaskFanout({
      feed: here,
      store,
      events,
      log: quiet,
      skewMarginMs: 2_000,
      // Swept by hand below.
      sweepMs: 3_600_000,
      now: () => clock,
    });
    // Announced, and so published by the fan-out; then two writes nobody announced.
    store.put(record('heard', 10_500));
    await peer.announce(['heard']);
    await fanout.idle();
    expect(seen.map((t) => t.id)).toEqual(['heard']);
    store.put(record('lost', 10_800, 'succeed'));
    // This replica's own write, published on its bus as the tracker does.
    store.put(record('mine', 10_900));
    events.publish(toStudioTask(record('mine', 10_900)));
    clock = 15_000;
    await fanout.sweep();
    expect(seen.map((t) => `${t.id} ${t.status}`)).toEqual([
      'heard processing',
      'mine processing',
      'lost succeed',
    ]);
    // The next sweep reads part of the same window again: nothing is sent twice.
    clock = 20_000;
    await fanout.sweep();
    expect(seen).toHaveLength(3);
    // Changed again later, unannounced: sent again.
    store.put(record('lost', 19_000, 'failed'));
    clock = 25_000;
    await fanout.sweep();
    expect(seen.map((t) => `${t.id} ${t.status}`).at(-1)).toBe('lost failed');
    expect(seen).toHaveLength(4);
    // What a sweep read back from: 2 s before the last one started.
    expect(store.pages.at(-1)?.since).toBe(18_000);
    await fanout.stop();
  });

  it('runs on its timer', async () => {
    const store = fakeStore();
    const events = createTaskEvents();
    const seen = published(events);
    const fanout = createTaskFanout({
      feed: createLocalChangeHub().feed(),
      store,
      events,
      log: quiet,
      sweepMs: 20,
    });
    store.put(record('lost', Date.now(), 'succeed'));
    await expect.poll(() => seen.map((t) => t.id), { timeout: 2000 }).toEqual(['lost']);
    await fanout.stop();
  });
});

describe('announcingEvents', () => {
  it("publishes locally at once and announces the ids, coalesced, to the other replicas' fan-out", async () => {
    const hub = createLocalChangeHub();
    const [feedA, feedB] = [hub.feed(), hub.feed()];
    const heardOnHub: Change[] = [];
    feedA.subscribe((c) => heardOnHub.push(c));
    const busA = createTaskEvents();
    const busB = createTaskEvents();
    const eventsA = announcingEvents(busA, feedA, quiet);
    const eventsB = announcingEvents(busB, feedB, quiet);
    const seenA = published(eventsA);
    const seenB = published(busB);
    const store = fakeStore([record('x', 2000), record('y', 2000)]);
    // Replica B's fan-out is handed B's announcing bus, as wiring might: it must not announce back.
    const fanoutB = createTaskFanout({ feed: feedB, store, events: eventsB, log: quiet });
    const fanoutA = createTaskFanout({ feed: feedA, store, events: eventsA, log: quiet });

    eventsA.publish(toStudioTask(record('x', 1000)));
    eventsA.publish(toStudioTask(record('x', 1500)));
    eventsA.publish(toStudioTask(record('y', 1000)));
    expect(seenA.map((t) => t.updatedAt)).toEqual([1000, 1500, 1000]);
    await eventsA.flush();
    expect(heardOnHub).toEqual([{ ids: ['x', 'y'], topic: 'task', fromSelf: true }]);

    await fanoutB.idle();
    expect(seenB.map((t) => t.id).sort()).toEqual(['x', 'y']);
    await eventsB.flush();
    await fanoutA.idle();
    // No echo: B's fan-out published on B's own bus only, so A heard one announcement and read nothing.
    expect(heardOnHub).toHaveLength(1);
    expect(store.reads.sort()).toEqual(['x', 'y']);
    expect(eventsA.listenerCount()).toBe(busA.listenerCount());
    await Promise.all([fanoutA.stop(), fanoutB.stop()]);
  });

  it('tries a failed announcement again with the next, and gives up after its attempts', async () => {
    let failing = 2;
    const sent: string[][] = [];
    const feed: ChangeFeed = {
      ...createLocalChangeHub().feed(),
      async announce(ids) {
        if (failing-- > 0) throw new Error('database unreachable');
        sent.push([...ids]);
      },
    };
    const log = memoryLogger();
    const events = announcingEvents(createTaskEvents(), feed, log, { maxAttempts: 3 });
    events.publish(toStudioTask(record('a')));
    await events.flush();
    events.publish(toStudioTask(record('b')));
    await events.flush();
    await events.flush();
    expect(sent).toEqual([['a', 'b']]);
    expect(log.lines.filter((l) => l.includes('trying again'))).toHaveLength(2);

    failing = 3;
    events.publish(toStudioTask(record('c')));
    for (let i = 0; i < 4; i++) await events.flush();
    expect(sent).toEqual([['a', 'b']]);
    expect(log.lines.some((l) => l.includes('giving up'))).toBe(true);
  });

  it('an announcer for the queue topic sends its ids together, on that topic', async () => {
    const hub = createLocalChangeHub();
    const [here, dispatcherReplica] = [hub.feed(), hub.feed()];
    const heard: Change[] = [];
    dispatcherReplica.subscribe((c) => heard.push(c));
    const queue = createAnnouncer(here, 'queue', quiet);
    queue.add('created');
    queue.add('cancelled');
    queue.add('created');
    await queue.flush();
    expect(heard).toEqual([{ ids: ['created', 'cancelled'], topic: 'queue', fromSelf: false }]);
  });
});
