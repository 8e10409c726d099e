import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import type { Logger } from '../lib/logger.ts';
import { type TaskRecord, toStudioTask } from '../tasks/task-record.ts';
import type { TaskEvents } from '../tracker/task-events.ts';
import type { ChangeFeed, ChangeTopic } from './change-feed.ts';

/**
 * Live updates across replicas, on top of a ChangeFeed. Each replica publishes its own changes on its own
 * bus as it always did (the record is in hand) and announces their ids (`announcingEvents`); every other
 * replica hears the ids, reads each row once and publishes it to its own SSE clients (`createTaskFanout`).
 * A replica's own announcements come back to it marked `fromSelf` and are skipped: its clients have them.
 */

/** Where a catch-up page ends: the next page starts after this (updatedAt, id). */
export interface UpdatedCursor {
  updatedAt: number;
  id: string;
}

/**
 * What the fan-out reads. `listUpdatedSince` is proposed for TaskStore: the tasks with `updatedAt >= since`
 * (or, with `after`, with `(updatedAt, id)` greater than it), ordered by `(updatedAt, id)`, oldest first, at
 * most `limit`; an index on `(updated_at, id)` makes each page one range scan.
 */
export interface FanoutStore {
  get(id: string): Promise<TaskRecord | undefined>;
  listUpdatedSince(q: { since: number; after?: UpdatedCursor; limit: number }): Promise<TaskRecord[]>;
}

export interface TaskFanoutOptions {
  feed: ChangeFeed;
  store: FanoutStore;
  /** This replica's bus (what /api/events streams). An `announcingEvents` is unwrapped to the bus inside it. */
  events: TaskEvents;
  log: Logger;
  /** The record as the web sees it (default `toStudioTask`; pass one that adds the queue place). */
  present?: (record: TaskRecord) => StudioTask | Promise<StudioTask>;
  /** Changes of one id heard within this window cost one read (default 10 ms). */
  coalesceMs?: number;
  /** Rows read at once (default 8): a burst of 2,000 ids does not take the whole pool. */
  readConcurrency?: number;
  /**
   * Read further back than the gap by this much (default 5 s): `updatedAt` is the writing replica's clock,
   * and a write's timestamp is taken before it commits.
   */
  skewMarginMs?: number;
  catchUpPageSize?: number;
  /**
   * At most this many tasks are published by one catch-up (default 400, under the 500 events an SSE stream
   * may have waiting before it is dropped). Past it `onGapTooLarge` runs: clients are better told to read
   * everything again (an EventSource that reconnects does) than sent thousands of events.
   */
  catchUpMax?: number;
  onGapTooLarge?: () => void;
  /**
   * Every this many ms (0, the default: never), read what changed lately and publish what this replica's
   * clients have not seen: a replica that dies after writing a change and before announcing it (its
   * NOTIFY is sent after the write, and the write alone commits) leaves a change nobody hears of, a final
   * status say, when it held nothing another replica takes over. Reads back `skewMarginMs` from the last
   * sweep, so each change is read by a sweep or two, and only those no event carried are published.
   */
  sweepMs?: number;
  /** The clock the sweeps read back from (default Date.now; updatedAt is the writers' clocks). */
  now?: () => number;
}

export interface TaskFanout {
  /** Reads and publishes everything heard so far now, without waiting out the window (tests, shutdown). */
  idle(): Promise<void>;
  /** Publishes the tasks changed since `since` (ms, margin already applied); what a catch-up runs. */
  catchUp(since: number): Promise<{ published: number; truncated: boolean }>;
  /** One sweep now (`sweepMs`), as the timer runs it. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

export function createTaskFanout(o: TaskFanoutOptions): TaskFanout {
  const { feed, store, log } = o;
  const events = localBusOf(o.events);
  const present = o.present ?? ((r: TaskRecord) => toStudioTask(r));
  const coalesceMs = o.coalesceMs ?? 10;
  const readConcurrency = o.readConcurrency ?? 8;
  const skewMarginMs = o.skewMarginMs ?? 5000;
  const pageSize = o.catchUpPageSize ?? 100;
  const catchUpMax = o.catchUpMax ?? 400;

  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;

  /**
   * While a row is being read, this replica may publish a newer state of it itself (its tracker wrote
   * meanwhile); the older read must not land after it. Only kept while reads are in flight.
   */
  let reading = 0;
  const publishedDuringReads = new Map<string, number>();
  /**
   * With sweeps: the newest state of each task this replica's clients were sent (by anyone), kept as far
   * back as the next sweep reads.
   */
  const sweepMs = o.sweepMs ?? 0;
  const now = o.now ?? Date.now;
  const lastSent = new Map<string, number>();
  const stopWatching = events.subscribe((task) => {
    if (sweepMs > 0 && (lastSent.get(task.id) ?? Number.NEGATIVE_INFINITY) < task.updatedAt)
      lastSent.set(task.id, task.updatedAt);
    if (reading === 0) return;
    const seen = publishedDuringReads.get(task.id);
    if (seen === undefined || task.updatedAt > seen) publishedDuringReads.set(task.id, task.updatedAt);
  });

  async function whileReading<T>(fn: () => Promise<T>): Promise<T> {
    reading++;
    try {
      return await fn();
    } finally {
      if (--reading === 0) publishedDuringReads.clear();
    }
  }

  async function publishUnlessStale(record: TaskRecord) {
    const task = await present(record);
    const newer = publishedDuringReads.get(record.id);
    if (newer !== undefined && newer > record.updatedAt) return;
    if (!stopped) events.publish(task);
  }

  /** Runs after everything queued before it, so a later read of a task is never published before an earlier one. */
  function serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = chain.then(fn);
    chain = run.catch(() => {});
    return run;
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    return serially(() =>
      whileReading(async () => {
        // Taken when the step runs, not when it was queued: ids heard meanwhile share this read.
        const ids = [...pending];
        pending.clear();
        await eachLimited(ids, readConcurrency, async (id) => {
          try {
            const record = await store.get(id);
            // Deleted meanwhile: the web has no event for that, and the next list read drops it.
            if (record) await publishUnlessStale(record);
          } catch (e) {
            log.warn('task fan-out: could not read a changed task', { id, error: (e as Error).message });
          }
        });
      }),
    );
  }

  /** Anyone to tell here: an SSE client (the fan-out's own watcher aside). */
  const watched = () => events.listenerCount() > 1;
  const stopHearing = feed.subscribe((change) => {
    if (stopped || change.topic !== 'task' || change.fromSelf) return;
    // A replica nobody watches reads nothing: a client that connects later reads the list first.
    if (!watched()) return;
    for (const id of change.ids) pending.add(id);
    if (!timer && pending.size > 0) {
      timer = setTimeout(() => void flush(), coalesceMs);
      timer.unref();
    }
  });

  /** `unsent`: only the rows no event has carried (sweeps); a catch-up after a gap sends all. */
  function catchUp(since: number, unsent = false) {
    return serially(() =>
      whileReading(async () => {
        let published = 0;
        let after: UpdatedCursor | undefined;
        for (;;) {
          const limit = Math.min(pageSize, catchUpMax - published);
          if (limit <= 0) break;
          const rows = await store.listUpdatedSince({ since, after, limit });
          for (const r of rows) {
            if (unsent && (lastSent.get(r.id) ?? Number.NEGATIVE_INFINITY) >= r.updatedAt) continue;
            await publishUnlessStale(r);
            published++;
          }
          if (rows.length < limit) return { published, truncated: false };
          const last = rows[rows.length - 1]!;
          after = { updatedAt: last.updatedAt, id: last.id };
        }
        // One row past the cap tells a gap that merely filled it from one that overflows it.
        const more = await store.listUpdatedSince({ since, after, limit: 1 });
        return { published, truncated: more.length > 0 };
      }),
    );
  }

  const stopCatchingUp = feed.onCatchUp(({ since }) => {
    if (stopped) return;
    catchUp(since - skewMarginMs).then(
      ({ published, truncated }) => {
        log.info('task fan-out: caught up after the change feed reconnected', { published, truncated });
        if (truncated) {
          log.warn('task fan-out: more tasks changed during the gap than a catch-up publishes', {
            published,
          });
          o.onGapTooLarge?.();
        }
      },
      (e: Error) => log.warn('task fan-out: catch-up failed', { error: e.message }),
    );
  });

  let sweepFrom = now() - skewMarginMs;
  async function sweep() {
    const since = sweepFrom;
    sweepFrom = now() - skewMarginMs;
    if (!watched()) {
      lastSent.clear();
      return;
    }
    const { published, truncated } = await catchUp(since, true);
    // Older than the next sweep reads: never compared again.
    for (const [id, at] of lastSent) if (at < sweepFrom) lastSent.delete(id);
    if (published > 0) log.info('task fan-out: published changes no replica announced', { published });
    if (truncated) o.onGapTooLarge?.();
  }
  const sweeper =
    sweepMs > 0
      ? setInterval(() => {
          sweep().catch((e: Error) => log.warn('task fan-out: sweep failed', { error: e.message }));
        }, sweepMs)
      : undefined;
  sweeper?.unref();

  return {
    idle: () => flush(),
    catchUp,
    sweep,
    async stop() {
      stopped = true;
      if (sweeper) clearInterval(sweeper);
      stopHearing();
      stopCatchingUp();
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending.clear();
      await chain;
      stopWatching();
    },
  };
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const LOCAL_BUS = Symbol('local bus');

/** A TaskEvents that also announces what is published on it; `local` is the bus without the announcing. */
export interface AnnouncingEvents extends TaskEvents {
  readonly [LOCAL_BUS]: TaskEvents;
  /** Sends what is waiting now (tests, shutdown). */
  flush(): Promise<void>;
}

/**
 * The fan-out publishes on the plain bus: through an announcing one, replicas would announce to each other
 * what they heard from each other, forever.
 */
export function localBusOf(events: TaskEvents): TaskEvents {
  return (events as Partial<AnnouncingEvents>)[LOCAL_BUS] ?? events;
}

export interface AnnounceOptions {
  /** Ids added within this window go as one announcement (default 5 ms). */
  coalesceMs?: number;
  /** After a failed announcement (the database unreachable), the wait before the next try (default 1 s). */
  retryMs?: number;
  /** Consecutive failures after which the waiting ids are given up, with an error logged (default 5). */
  maxAttempts?: number;
}

/** Ids to announce on one topic, sent together, from code that must not wait for (or fail with) the send. */
export interface Announcer {
  add(id: string): void;
  /** Sends what is waiting now (tests, shutdown). */
  flush(): Promise<void>;
}

export function createAnnouncer(
  feed: ChangeFeed,
  topic: ChangeTopic,
  log: Logger,
  opts: AnnounceOptions = {},
): Announcer {
  const coalesceMs = opts.coalesceMs ?? 5;
  const retryMs = opts.retryMs ?? 1000;
  const maxAttempts = opts.maxAttempts ?? 5;
  const pending = new Set<string>();
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let sending: Promise<void> = Promise.resolve();

  function schedule(ms: number) {
    if (timer) return;
    timer = setTimeout(() => void flush(), ms);
    timer.unref();
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    sending = sending.then(async () => {
      if (pending.size === 0) return;
      const ids = [...pending];
      pending.clear();
      try {
        await feed.announce(ids, topic);
        failures = 0;
      } catch (e) {
        const fields = { topic, tasks: ids.length, error: (e as Error).message };
        if (++failures >= maxAttempts) {
          failures = 0;
          log.error('could not announce changes to the other replicas; giving up on them', fields);
          return;
        }
        log.warn('could not announce changes to the other replicas; trying again', fields);
        // Sent again with whatever is added meanwhile.
        for (const id of ids) pending.add(id);
        schedule(retryMs);
      }
    });
    return sending;
  }

  return {
    add(id) {
      pending.add(id);
      schedule(coalesceMs);
    },
    flush,
  };
}

/**
 * `local` (this replica's bus) plus an announcement of each published task's id (topic `task`), so the
 * tracker, creates and the queue reach other replicas' clients without knowing about them.
 */
export function announcingEvents(
  local: TaskEvents,
  feed: ChangeFeed,
  log: Logger,
  opts: AnnounceOptions = {},
): AnnouncingEvents {
  const announcer = createAnnouncer(feed, 'task', log, opts);
  return {
    [LOCAL_BUS]: local,
    publish(task) {
      local.publish(task);
      announcer.add(task.id);
    },
    subscribe: (listener) => local.subscribe(listener),
    listenerCount: () => local.listenerCount(),
    flush: announcer.flush,
  };
}
