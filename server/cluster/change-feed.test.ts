import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import { createLogger, memoryLogger } from '../lib/logger.ts';
import type { TaskRecord } from '../tasks/task-record.ts';
import { startPostgres, type TestPostgres } from '../testing/postgres.ts';
import { createTaskEvents, type TaskEvents } from '../tracker/task-events.ts';
import {
  type Change,
  type ChangeFeed,
  createLocalChangeFeed,
  createLocalChangeHub,
  createPostgresChangeFeed,
  decodeChange,
  encodeChanges,
  MAX_PAYLOAD_BYTES,
  reconnectDelay,
} from './change-feed.ts';
import { announcingEvents, createTaskFanout } from './task-fanout.ts';

const quiet = createLogger({ write: () => {} });

/** Resolves with the changes heard once `done` holds for them (no clock in the assertion: only a wait). */
function collect(feed: ChangeFeed, done: (changes: Change[]) => boolean) {
  const changes: Change[] = [];
  let stop = () => {};
  const complete = new Promise<Change[]>((resolve) => {
    stop = feed.subscribe((c) => {
      changes.push(c);
      if (done(changes)) resolve(changes);
    });
  });
  return { changes, complete: complete.finally(() => stop()) };
}

const idsOf = (changes: Change[]) => changes.flatMap((c) => c.ids);

/**
 * A TCP relay to PostgreSQL that can go silent: `freeze()` stops passing bytes on the connections open now,
 * closing nothing — a link cut without a FIN, which raises nothing at either end. New connections pass.
 */
async function silentLink(target: URL) {
  const pairs = new Set<{ client: Socket; upstream: Socket; frozen: boolean }>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    const pair = { client, upstream, frozen: false };
    pairs.add(pair);
    client.on('data', (d) => pair.frozen || upstream.write(d));
    upstream.on('data', (d) => pair.frozen || client.write(d));
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop);
    upstream.on('close', drop);
    client.on('error', drop);
    upstream.on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  const url = new URL(target);
  url.port = String(address.port);
  return {
    url: url.toString(),
    freeze: () => {
      for (const p of pairs) p.frozen = true;
    },
    open: () => pairs.size,
    close: async () => {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('encodeChanges / decodeChange', () => {
  it('splits 2,000 ids into payloads under the limit that give back every id once, in order', () => {
    const ids = Array.from({ length: 2000 }, () => randomUUID());
    const payloads = encodeChanges('origin', 'task', ids);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const back = payloads.map((p) => decodeChange(p));
    expect(back.every((w) => w?.o === 'origin' && w.t === 'task')).toBe(true);
    expect(back.flatMap((w) => w?.i ?? [])).toEqual(ids);
  });

  it('counts bytes, not characters, for ids JSON escapes or UTF-8 widens', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `tâche-"${i}"-✓`);
    const payloads = encodeChanges('o', 'queue', ids, 500);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(500);
    expect(payloads.flatMap((p) => decodeChange(p)?.i ?? [])).toEqual(ids);
  });

  it('refuses an id that could never fit, and sends nothing for no ids', () => {
    expect(() => encodeChanges('o', 'task', ['x'.repeat(MAX_PAYLOAD_BYTES)])).toThrow(RangeError);
    expect(encodeChanges('o', 'task', [])).toEqual([]);
  });

  it("ignores what it did not write (another program's NOTIFY on the channel)", () => {
    for (const p of ['hello', '42', 'null', '{"o":"x","t":"tasks","i":[]}', '{"o":"x","t":"task","i":[1]}'])
      expect(decodeChange(p)).toBeUndefined();
  });
});

describe('reconnectDelay', () => {
  it('doubles from the base up to the cap, and falls in the upper half of that', () => {
    expect(reconnectDelay(0, 100, 5000, () => 0)).toBe(50);
    expect(reconnectDelay(0, 100, 5000, () => 1)).toBe(100);
    expect(reconnectDelay(3, 100, 5000, () => 1)).toBe(800);
    expect(reconnectDelay(20, 100, 5000, () => 0)).toBe(2500);
    expect(reconnectDelay(2000, 100, 5000, () => 1)).toBe(5000);
  });
});

describe('local change feed', () => {
  it('delivers to its own subscribers synchronously, marked fromSelf', async () => {
    const feed = createLocalChangeFeed();
    const heard: Change[] = [];
    feed.subscribe((c) => heard.push(c));
    const sent = feed.announce(['a', 'b']);
    expect(heard).toEqual([{ ids: ['a', 'b'], topic: 'task', fromSelf: true }]);
    await sent;
    await feed.announce(['c'], 'queue');
    expect(heard[1]).toEqual({ ids: ['c'], topic: 'queue', fromSelf: true });
  });

  it('feeds on one hub hear each other as replicas on one database do; a closed one neither hears nor sends', async () => {
    const hub = createLocalChangeHub();
    const [a, b] = [hub.feed(), hub.feed()];
    const heardByA: Change[] = [];
    const heardByB: Change[] = [];
    a.subscribe((c) => heardByA.push(c));
    b.subscribe((c) => heardByB.push(c));
    await a.announce(['t1']);
    expect(heardByA).toEqual([{ ids: ['t1'], topic: 'task', fromSelf: true }]);
    expect(heardByB).toEqual([{ ids: ['t1'], topic: 'task', fromSelf: false }]);
    await b.close();
    await a.announce(['t2']);
    await b.announce(['t3']);
    expect(idsOf(heardByA)).toEqual(['t1', 't2']);
    expect(idsOf(heardByB)).toEqual(['t1']);
  });

  it('one subscriber that throws stops neither the others nor the announcer', async () => {
    const log = memoryLogger();
    const feed = createLocalChangeFeed(log);
    const heard: string[] = [];
    feed.subscribe(() => {
      throw new Error('broken subscriber');
    });
    feed.subscribe((c) => heard.push(...c.ids));
    await feed.announce(['x']);
    expect(heard).toEqual(['x']);
    expect(log.lines.some((l) => l.includes('broken subscriber'))).toBe(true);
  });

  it('a subscriber that unsubscribes hears nothing more', async () => {
    const feed = createLocalChangeFeed();
    const heard: string[] = [];
    const stop = feed.subscribe((c) => heard.push(...c.ids));
    await feed.announce(['x']);
    stop();
    await feed.announce(['y']);
    expect(heard).toEqual(['x']);
  });
});

describe('PostgreSQL change feed', () => {
  let db: TestPostgres;
  let admin: pg.Pool;
  const open: ChangeFeed[] = [];

  beforeAll(async () => {
    db = await startPostgres();
    // On the maintenance database: the studio database is the one the tests take away and give back.
    const maintenance = new URL(db.url);
    maintenance.pathname = '/postgres';
    admin = new pg.Pool({ connectionString: maintenance.toString(), max: 2 });
  });

  afterAll(async () => {
    await Promise.all(open.map((f) => f.close()));
    await admin?.end();
    await db?.stop();
  });

  async function feed(applicationName: string, extra: { notifyPool?: pg.Pool; log?: typeof quiet } = {}) {
    const f = await createPostgresChangeFeed({
      listenUrl: db.url,
      notify: extra.notifyPool ? { pool: extra.notifyPool } : { url: db.url },
      log: extra.log ?? quiet,
      applicationName,
      reconnectBaseMs: 50,
      reconnectMaxMs: 400,
    });
    open.push(f);
    return f;
  }

  const connectionsOf = async (like: string) =>
    Number(
      (await admin.query('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name LIKE $1', [like]))
        .rows[0].n,
    );

  /**
   * A backend leaves pg_stat_activity a moment after its client hangs up (its process exits on its own), so
   * the count is read again until it settles at `n`, for at most a few seconds.
   */
  async function settledConnections(like: string, n: number) {
    let count = await connectionsOf(like);
    for (let tries = 0; count !== n && tries < 250; tries++) {
      await new Promise((r) => setTimeout(r, 20));
      count = await connectionsOf(like);
    }
    return count;
  }

  it('two feeds on one database hear each other, and each hears itself marked fromSelf', async () => {
    const a = await feed('feed-a');
    const b = await feed('feed-b');
    const atA = collect(a, (c) => c.length === 2);
    const atB = collect(b, (c) => c.length === 2);
    await a.announce(['from-a']);
    await b.announce(['from-b'], 'queue');
    const heardAtA = await atA.complete;
    const heardAtB = await atB.complete;
    expect(heardAtA).toEqual([
      { ids: ['from-a'], topic: 'task', fromSelf: true },
      { ids: ['from-b'], topic: 'queue', fromSelf: false },
    ]);
    expect(heardAtB).toEqual([
      { ids: ['from-a'], topic: 'task', fromSelf: false },
      { ids: ['from-b'], topic: 'queue', fromSelf: true },
    ]);
  });

  it('2,000 ids in one announce arrive whole, in several notifications', async () => {
    const a = await feed('feed-bulk-a');
    const b = await feed('feed-bulk-b');
    const ids = Array.from({ length: 2000 }, () => randomUUID());
    const atB = collect(b, (c) => idsOf(c).length >= ids.length);
    await a.announce(ids);
    const heard = await atB.complete;
    expect(heard.length).toBeGreaterThan(1);
    expect(heard.every((c) => c.topic === 'task' && !c.fromSelf)).toBe(true);
    expect(idsOf(heard).sort()).toEqual([...ids].sort());
  });

  it('sends NOTIFY through a given pool, and leaves that pool open when closed', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1, application_name: 'given-pool' });
    try {
      const a = await feed('feed-given-pool', { notifyPool: pool });
      const heard = collect(a, (c) => c.length === 1);
      await a.announce(['through-the-pool']);
      expect(idsOf(await heard.complete)).toEqual(['through-the-pool']);
      await a.close();
      expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('reconnects when its listening connection is killed, calls onCatchUp, and hears later announcements', async () => {
    const log = memoryLogger();
    const listener = await feed('feed-killed', { log });
    const other = await feed('feed-survivor');
    const beforeKill = Date.now();
    const caughtUp = new Promise<{ since: number }>((resolve) => listener.onCatchUp(resolve));
    const killed = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND application_name = $1",
      ['feed-killed'],
    );
    expect(killed.rowCount).toBe(1);
    const gap = await caughtUp;
    // Everything after the last moment it was surely listening may have been missed: that is where to read from.
    expect(gap.since).toBeLessThanOrEqual(beforeKill);
    expect(log.lines.some((l) => l.includes('listening connection dropped'))).toBe(true);

    const heard = collect(listener, (c) => c.length === 1);
    await other.announce(['after-reconnect']);
    expect(await heard.complete).toEqual([{ ids: ['after-reconnect'], topic: 'task', fromSelf: false }]);
    expect(await settledConnections('feed-killed', 1)).toBe(1);
  });

  it('keeps trying while the database refuses connections, then catches up once it listens again', async () => {
    const log = memoryLogger();
    const listener = await feed('feed-refused', { log });
    const caughtUp = new Promise<{ since: number }>((resolve) => listener.onCatchUp(resolve));
    const failedAttempts = () => log.lines.filter((l) => l.includes('could not listen again yet')).length;
    await admin.query('ALTER DATABASE studio ALLOW_CONNECTIONS false');
    try {
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        ['feed-refused'],
      );
      while (failedAttempts() < 2) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await admin.query('ALTER DATABASE studio ALLOW_CONNECTIONS true');
    }
    await caughtUp;
    const heard = collect(listener, (c) => c.length === 1);
    await listener.announce(['back']);
    expect(await heard.complete).toEqual([{ ids: ['back'], topic: 'task', fromSelf: true }]);
  });

  it('notices a listening connection that went silent (no FIN) by its ping, and listens again', async () => {
    const link = await silentLink(new URL(db.url));
    try {
      const log = memoryLogger();
      const listener = await createPostgresChangeFeed({
        listenUrl: link.url,
        notify: { url: db.url },
        log,
        applicationName: 'feed-silent',
        reconnectBaseMs: 50,
        reconnectMaxMs: 400,
        pingMs: 50,
        pingTimeoutMs: 200,
      });
      open.push(listener);
      const other = await feed('feed-silent-peer');
      const caughtUp = new Promise<{ since: number }>((resolve) => listener.onCatchUp(resolve));
      const frozenAt = Date.now();
      link.freeze();
      const gap = await caughtUp;
      expect(gap.since).toBeLessThanOrEqual(frozenAt);
      expect(log.lines.some((l) => l.includes('no answer to a ping'))).toBe(true);
      const heard = collect(listener, (c) => c.length === 1);
      await other.announce(['after-silence']);
      expect(idsOf(await heard.complete)).toEqual(['after-silence']);
      // The silent connection was let go, not left to linger: only the new one is relayed.
      expect(link.open()).toBe(1);
      await listener.close();
    } finally {
      await link.close();
    }
  });

  it("with the fan-out: what replica A publishes reaches replica B's clients once, and is not echoed back", async () => {
    const [feedA, feedB] = [await feed('fanout-a'), await feed('fanout-b')];
    const [busA, busB] = [createTaskEvents(), createTaskEvents()];
    const eventsA = announcingEvents(busA, feedA, quiet);
    const task = { id: 'shared', updatedAt: 5 } as StudioTask;
    const reads: string[] = [];
    // B reads the row from the shared database; only the id crossed.
    const store = {
      get: async (id: string) => {
        reads.push(id);
        return { id, updatedAt: 5 } as TaskRecord;
      },
      listUpdatedSince: async () => [],
    };
    // Both replicas read the one shared store and hand its rows on as they are.
    const fanoutOn = (on: ChangeFeed, events: TaskEvents) =>
      createTaskFanout({ feed: on, store, events, log: quiet, present: (r) => r as never });
    const fanoutA = fanoutOn(feedA, eventsA);
    // A browser watches A too: a replica nobody watches reads nothing it hears (the marker included).
    busA.subscribe(() => {});
    const atB: StudioTask[] = [];
    const arrived = new Promise<void>((resolve) =>
      busB.subscribe((t) => {
        atB.push(t);
        resolve();
      }),
    );
    // B's fan-out is handed B's announcing bus, as wiring might: it must still not announce back.
    const eventsB = announcingEvents(busB, feedB, quiet);
    const fanoutB = fanoutOn(feedB, eventsB);
    const heardAtA = collect(feedA, (c) => c.some((x) => x.ids.includes('marker')));
    eventsA.publish(task);
    await eventsA.flush();
    await arrived;
    expect(atB).toEqual([{ id: 'shared', updatedAt: 5 }]);
    // An echo would be sent by this flush, so committed (and heard at A) before the marker that follows it.
    await eventsB.flush();
    await feedB.announce(['marker']);
    expect(await heardAtA.complete).toEqual([
      { ids: ['shared'], topic: 'task', fromSelf: true },
      { ids: ['marker'], topic: 'task', fromSelf: false },
    ]);
    await fanoutA.idle();
    // B read the task once; A read only the marker (its own announcement it skipped).
    expect(reads).toEqual(['shared', 'marker']);
    await Promise.all([fanoutA.stop(), fanoutB.stop()]);
  });

  it('close() leaves no connection open, its own notify pool included, and announce is then a no-op', async () => {
    const f = await feed('feed-closing');
    await f.announce(['warms-the-notify-pool']);
    expect(await connectionsOf('feed-closing')).toBe(1);
    expect(await connectionsOf('feed-closing-notify')).toBe(1);
    await f.close();
    await f.close();
    await f.announce(['after-close']);
    expect(await settledConnections('feed-closing%', 0)).toBe(0);
  });

  it('rejects at start when the database cannot be reached', async () => {
    const unreachable = new URL(db.url);
    unreachable.port = '1';
    await expect(
      createPostgresChangeFeed({ listenUrl: unreachable.toString(), notify: { url: db.url }, log: quiet }),
    ).rejects.toThrow();
  });
});
