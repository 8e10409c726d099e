import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../lib/logger.ts';

/**
 * How replicas tell each other "these tasks changed": ids only, never the rows (each replica reads what it
 * needs from the shared database). `task`: a task's stored state changed (its SSE clients should see it);
 * `queue`: the queue changed (a create, cancel, move or end), so the dispatcher, wherever it runs, should
 * look again.
 *
 * Every feed hears its own announcements too, marked `fromSelf`: the code that made a change has usually
 * published it locally already, so subscribers that would only repeat that work skip `fromSelf` changes
 * (task-fanout does); subscribers for which a repeat is harmless (waking the dispatcher) need not.
 * Delivery is at most once per connection: while a feed is not listening it hears nothing, and once it
 * listens again it calls its `onCatchUp` handlers so they can read what changed meanwhile.
 */
export type ChangeTopic = 'task' | 'queue';

export interface Change {
  ids: string[];
  topic: ChangeTopic;
  /** Announced through this very feed (this replica). */
  fromSelf: boolean;
}

/** A gap in what the feed heard: everything announced after `since` (this process's clock, ms) may be missed. */
export interface CatchUp {
  since: number;
}

export interface ChangeFeed {
  /** Tells every feed on the database (this one included); resolves once sent. A no-op after close. */
  announce(ids: readonly string[], topic?: ChangeTopic): Promise<void>;
  subscribe(fn: (change: Change) => void): () => void;
  /** Called each time the feed listens again after losing its connection (not on the first listen). */
  onCatchUp(fn: (gap: CatchUp) => void): () => void;
  close(): Promise<void>;
}

const TOPICS: readonly ChangeTopic[] = ['task', 'queue'];
export const DEFAULT_CHANNEL = 'studio_changes';
/**
 * PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more; announcements are split well below that, so
 * an id with unusual characters (escaped by JSON) or a longer origin never pushes one over.
 */
export const MAX_PAYLOAD_BYTES = 4000;

/** A set of handlers where one that throws neither stops the others nor reaches the announcer. */
function handlers<T>(log: Logger | undefined, what: string) {
  const set = new Set<(value: T) => void>();
  return {
    add(fn: (value: T) => void) {
      set.add(fn);
      return () => {
        set.delete(fn);
      };
    },
    emit(value: T) {
      for (const fn of [...set]) {
        try {
          fn(value);
        } catch (e) {
          log?.error(`change feed: a ${what} handler threw`, { error: (e as Error).message });
        }
      }
    },
  };
}

/**
 * Feeds joined in one process, as replicas are on one database: what one announces reaches all of them
 * (itself marked `fromSelf`), synchronously. One feed alone on its hub is SQLite mode; several model a
 * cluster in tests without PostgreSQL.
 */
export interface LocalChangeHub {
  feed(): ChangeFeed;
}

export function createLocalChangeHub(log?: Logger): LocalChangeHub {
  const members = new Set<{ deliver(change: Change): void; self: ChangeFeed }>();
  return {
    feed() {
      const subscribers = handlers<Change>(log, 'subscriber');
      const catchUps = handlers<CatchUp>(log, 'catch-up');
      let closed = false;
      const feed: ChangeFeed = {
        async announce(ids, topic = 'task') {
          if (closed || ids.length === 0) return;
          for (const m of [...members]) m.deliver({ ids: [...ids], topic, fromSelf: m.self === feed });
        },
        subscribe: subscribers.add,
        // Nothing to lose in one process: the handlers are kept only so callers need not tell the modes apart.
        onCatchUp: catchUps.add,
        async close() {
          closed = true;
          members.delete(member);
        },
      };
      const member = { deliver: subscribers.emit, self: feed };
      members.add(member);
      return feed;
    },
  };
}

/** SQLite mode: one process, so the feed only reaches this process's own subscribers. */
export function createLocalChangeFeed(log?: Logger): ChangeFeed {
  return createLocalChangeHub(log).feed();
}

interface Wire {
  /** The announcing feed (random per feed, so two replicas sharing a REPLICA_ID still tell themselves apart). */
  o: string;
  t: ChangeTopic;
  i: string[];
}

/** The announcement as NOTIFY payloads, each under `maxBytes` (UTF-8), in order, every id exactly once. */
export function encodeChanges(
  origin: string,
  topic: ChangeTopic,
  ids: readonly string[],
  maxBytes = MAX_PAYLOAD_BYTES,
): string[] {
  const head = `{"o":${JSON.stringify(origin)},"t":${JSON.stringify(topic)},"i":[`;
  const tail = ']}';
  const fixed = Buffer.byteLength(head) + Buffer.byteLength(tail);
  const payloads: string[] = [];
  let parts: string[] = [];
  let bytes = fixed;
  for (const id of ids) {
    const part = JSON.stringify(id);
    const size = Buffer.byteLength(part);
    if (fixed + size > maxBytes) throw new RangeError(`a task id too long to announce (${size} bytes)`);
    // +1: the comma before every part but the first.
    if (parts.length > 0 && bytes + 1 + size > maxBytes) {
      payloads.push(head + parts.join(',') + tail);
      parts = [];
      bytes = fixed;
    }
    bytes += (parts.length > 0 ? 1 : 0) + size;
    parts.push(part);
  }
  if (parts.length > 0) payloads.push(head + parts.join(',') + tail);
  return payloads;
}

/** A payload back into its parts; undefined for anything this code did not write (another program's NOTIFY). */
export function decodeChange(payload: string): Wire | undefined {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const w = v as Partial<Wire>;
  if (typeof w.o !== 'string' || !TOPICS.includes(w.t as ChangeTopic)) return undefined;
  if (!Array.isArray(w.i) || !w.i.every((id) => typeof id === 'string')) return undefined;
  return w as Wire;
}

/**
 * The wait before reconnect attempt `attempt` (0 first): doubling from `baseMs` up to `maxMs`, then a random
 * point in its upper half, so replicas that lost the database together do not all come back at once.
 */
export function reconnectDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

type Queryable = Pick<pg.Pool, 'query'>;

export interface PostgresChangeFeedOptions {
  /** DATABASE_LISTEN_URL (else DATABASE_URL): one connection of its own, never a pooled one (see below). */
  listenUrl: string;
  /** Where NOTIFY is sent from: the store's pool, or a URL for a small pool of the feed's own (closed with it). */
  notify: { pool: Queryable } | { url: string };
  log: Logger;
  channel?: string;
  /**
   * Shown in pg_stat_activity, so an operator (or a test) can tell the listening connection apart (its own
   * notify pool's connections get `<name>-notify`).
   */
  applicationName?: string;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /**
   * How often the listening connection is checked while idle. A connection cut without a FIN (a NAT or a
   * failover dropping it) raises nothing by itself, and it would hear nothing forever.
   */
  pingMs?: number;
  pingTimeoutMs?: number;
  now?: () => number;
}

interface Listener {
  client: pg.Client;
  /** Set by the connection's own error/end events, which may fire before LISTEN's answer is handled. */
  dead: boolean;
}

/**
 * The feed between replicas: `pg_notify` on one channel, heard on a dedicated connection. It must be a
 * connection of its own: a pooled one is handed to other queries and closed when idle, and a session stops
 * listening when it ends. Resolves once listening; rejects if the first connection cannot be made.
 */
export async function createPostgresChangeFeed(o: PostgresChangeFeedOptions): Promise<ChangeFeed> {
  const channel = o.channel ?? DEFAULT_CHANNEL;
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  const { log } = o;
  const now = o.now ?? Date.now;
  const baseMs = o.reconnectBaseMs ?? 250;
  const maxMs = o.reconnectMaxMs ?? 10_000;
  const pingMs = o.pingMs ?? 15_000;
  const pingTimeoutMs = o.pingTimeoutMs ?? 5_000;
  const origin = randomUUID();
  const applicationName = o.applicationName ?? 'studio-change-feed';
  const ownPool =
    'url' in o.notify
      ? new pg.Pool({ connectionString: o.notify.url, max: 2, application_name: `${applicationName}-notify` })
      : undefined;
  ownPool?.on('error', (e) =>
    log.warn('change feed: an idle notify connection failed', { error: e.message }),
  );
  const notifier: Queryable = ownPool ?? (o.notify as { pool: Queryable }).pool;

  const subscribers = handlers<Change>(log, 'subscriber');
  const catchUps = handlers<CatchUp>(log, 'catch-up');
  let current: Listener | undefined;
  let closed = false;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let reconnecting: Promise<void> | undefined;
  let pinging = false;
  /** The last moment this feed is sure it was hearing every announcement. */
  let listeningAt = 0;

  function receive(payload: string | undefined) {
    const w = payload === undefined ? undefined : decodeChange(payload);
    if (!w) {
      log.warn('change feed: ignored a notification it does not understand', { channel });
      return;
    }
    subscribers.emit({ ids: w.i, topic: w.t, fromSelf: w.o === origin });
  }

  async function listen(): Promise<Listener> {
    const client = new pg.Client({
      connectionString: o.listenUrl,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 10_000,
      application_name: applicationName,
    });
    const l: Listener = { client, dead: false };
    // Kept for the connection's whole life: an 'error' without a listener would crash the process.
    client.on('error', (e) => lost(l, e));
    client.on('end', () => lost(l));
    client.on('notification', (n) => {
      // Not `l === current`: a reconnecting listener hears from LISTEN on, before it becomes current.
      if (!l.dead && !closed && n.channel === channel) receive(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      if (l.dead) throw new Error('the connection dropped as it started listening');
      return l;
    } catch (e) {
      l.dead = true;
      void client.end().catch(() => {});
      throw e;
    }
  }

  function lost(l: Listener, e?: Error) {
    l.dead = true;
    if (l !== current) return;
    current = undefined;
    void l.client.end().catch(() => {});
    if (closed) return;
    log.warn('change feed: the listening connection dropped; reconnecting', { error: e?.message });
    scheduleReconnect();
  }

  function scheduleReconnect() {
    if (closed || reconnectTimer) return;
    const delay = reconnectDelay(attempt++, baseMs, maxMs);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      reconnecting = reconnect().finally(() => {
        reconnecting = undefined;
      });
    }, delay);
    reconnectTimer.unref();
  }

  async function reconnect() {
    let l: Listener;
    try {
      l = await listen();
    } catch (e) {
      log.warn('change feed: could not listen again yet', { error: (e as Error).message, attempt });
      return scheduleReconnect();
    }
    if (closed) {
      await l.client.end().catch(() => {});
      return;
    }
    // Dropped again before it became current: its events found nobody to reschedule.
    if (l.dead) return scheduleReconnect();
    const since = listeningAt;
    current = l;
    attempt = 0;
    listeningAt = now();
    log.info('change feed: listening again; catching up', { since });
    catchUps.emit({ since });
  }

  // A ping's answer proves the session was listening when it was sent: PostgreSQL delivers every
  // notification committed before a command ahead of that command's answer.
  const pinger = setInterval(() => {
    const l = current;
    if (!l || pinging) return;
    pinging = true;
    const sentAt = now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer to a ping in ${pingTimeoutMs} ms`)),
        pingTimeoutMs,
      );
    });
    Promise.race([l.client.query('SELECT 1'), timeout])
      .then(
        () => {
          if (l === current) listeningAt = Math.max(listeningAt, sentAt);
        },
        (e: Error) => lost(l, e),
      )
      .finally(() => {
        clearTimeout(timer);
        pinging = false;
      });
  }, pingMs);
  pinger.unref();

  try {
    current = await listen();
    listeningAt = now();
  } catch (e) {
    clearInterval(pinger);
    await ownPool?.end().catch(() => {});
    throw e;
  }

  return {
    async announce(ids, topic = 'task') {
      if (closed || ids.length === 0) return;
      // One statement, parameters only: every part is sent in one round trip and one transaction.
      await notifier.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [
        channel,
        encodeChanges(origin, topic, ids),
      ]);
    },
    subscribe: subscribers.add,
    onCatchUp: catchUps.add,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(pinger);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      // A reconnect under way ends its own connection once it sees `closed`.
      await reconnecting;
      const l = current;
      current = undefined;
      if (l) {
        l.dead = true;
        // end() waits for the server's goodbye; a dead socket never sends one, so it gets a bound.
        await Promise.race([l.client.end().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
      }
      await ownPool?.end().catch(() => {});
    },
  };
}
