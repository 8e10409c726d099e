import type pg from 'pg';
import { type Clock, systemClock } from '../../lib/clock.ts';
import { BadCursor, DuplicateExternalId } from '../store-errors.ts';
import {
  COLUMNS,
  FIELDS,
  fromRow,
  patchColumns,
  type Row,
  RUNNING,
  SPENDING,
  toColumn,
  WAITING,
} from '../task-columns.ts';
import type { TaskRecord } from '../task-record.ts';
import {
  decodeCursor,
  encodeCursor,
  pastSince,
  type QueueHead,
  type RecentCreates,
  stamped,
  type TaskPatch,
  type TaskStore,
} from '../task-store.ts';
import { DB_NOW_MS, pgLeases } from './pg-leases.ts';
import { migratePostgres } from './pg-migrations.ts';
import { createPool, inTransaction, pgCode, pgConstraint, type Query, queryOn } from './pg-pool.ts';
import { pgUploadRows } from './pg-uploads.ts';

/**
 * Transaction-scoped advisory lock taken by every `transaction` (and by moveToFront, which reads the
 * table to decide what to write): they run one at a time across all replicas, as SQLite's writes do in
 * one process. Every round trip made while it is held is one that all replicas' creates wait on. The constant is this store's own ("task" in ASCII), distinct from the migration lock.
 */
export const TRANSACTION_LOCK = 0x7461736b;

/** The largest value of a BIGINT: a cursor past it was not made by this store. */
const MAX_INT8 = 9223372036854775807n;
const PING_TIMEOUT_MS = 2000;

/** An INSERT of `rows` tasks in one statement (atomic: all or none), with their values in order. */
const insertSql = (rows: number) =>
  `INSERT INTO tasks (${FIELDS.map((f) => COLUMNS[f]).join(', ')}) VALUES ${Array.from(
    { length: rows },
    (_, r) => `(${FIELDS.map((_, i) => `$${r * FIELDS.length + i + 1}`).join(', ')})`,
  ).join(', ')}`;
const INSERT_SQL = insertSql(1);
/** PostgreSQL's limit on a statement's parameters: a larger batch would be refused whole. */
const MAX_PARAMETERS = 65_535;

/**
 * The task store on PostgreSQL (DATABASE_URL): several replicas share it. Migrates on open, under an
 * advisory lock. Leases are judged by the database's clock. `clock` (this replica's) stamps the migrations
 * it applies and `updated_at` where the caller gives no time (markReady, moveToFront, a patch without
 * `updatedAt`), as the callers' own times are this replica's clock too: one row's times come from one
 * kind of clock, which the catch-up's skew margin (task-fanout.ts) is sized for.
 */
export async function createPostgresTaskStore(opts: {
  url: string;
  clock?: Clock;
  /** Connections this replica may hold (10 by default). */
  poolSize?: number;
}): Promise<TaskStore> {
  const clock = opts.clock ?? systemClock;
  const pool = createPool(opts.url, opts.poolSize);
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client, () => clock.now());
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end();
    throw e;
  }

  let closed: Promise<void> | undefined;
  const pooled: Scope = {
    q: queryOn(pool),
    locked: (fn) => inTransaction(pool, fn, TRANSACTION_LOCK),
    atomic: (fn) => inTransaction(pool, fn),
    transaction: (fn) =>
      inTransaction(
        pool,
        (q) => fn(storeOn(transactionScope(q, inTransactionLifecycle, clock), inTransactionLifecycle, clock)),
        TRANSACTION_LOCK,
      ),
  };
  const lifecycle: Lifecycle = {
    async ping() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
      });
      const answer = pool.query('SELECT 1 AS one').then(
        (r) => r.rows[0]?.one === 1,
        () => false,
      );
      try {
        return await Promise.race([answer, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
  // A transaction's store answers ping like the pool's; closing the pool is not its to do.
  const inTransactionLifecycle: Lifecycle = { ping: lifecycle.ping, close: async () => {} };
  return storeOn(pooled, lifecycle, clock);
}

/**
 * Where the store's SQL runs: on the pool (each call its own statement or transaction), or inside an open
 * transaction (everything on its client, already under the lock).
 */
interface Scope {
  q: Query;
  /** `fn` in a transaction under TRANSACTION_LOCK (the open transaction holds it already). */
  locked<T>(fn: (q: Query) => Promise<T>): Promise<T>;
  /** `fn` in one transaction, without the lock. */
  atomic<T>(fn: (q: Query) => Promise<T>): Promise<T>;
  transaction: TaskStore['transaction'];
}

type Lifecycle = Pick<TaskStore, 'ping' | 'close'>;

function transactionScope(q: Query, lifecycle: Lifecycle, clock: Clock): Scope {
  const scope: Scope = {
    q,
    locked: (fn) => fn(q),
    atomic: (fn) => fn(q),
    // Nested: the open transaction already is the unit.
    transaction: (fn) => fn(storeOn(scope, lifecycle, clock)),
  };
  return scope;
}

const one = (rows: Row[]) => (rows[0] ? fromRow(rows[0]) : undefined);
const records = (rows: Row[]) => rows.map(fromRow);

const isDuplicateExternalId = (e: unknown) =>
  pgCode(e) === '23505' && pgConstraint(e) === 'tasks_external_task_id_key';

function storeOn(scope: Scope, lifecycle: Lifecycle, clock: Clock): TaskStore {
  const { q } = scope;
  const rows = async (text: string, values?: unknown[]) => (await q<Row>(text, values)).rows;
  const countOf = async (where: string, values?: unknown[]) =>
    (await q<{ n: number }>(`SELECT COUNT(*) AS n FROM tasks WHERE ${where}`, values)).rows[0]?.n ?? 0;
  const changed = (r: pg.QueryResult) => r.rowCount === 1;
  const setClause = (fields: readonly string[], from: number) =>
    fields.map((f, i) => `${COLUMNS[f as keyof typeof COLUMNS]} = $${i + from}`).join(', ');
  const leases = pgLeases(q);

  const inserting = async (text: string, records: readonly TaskRecord[]) => {
    try {
      await q(
        text,
        records.flatMap((record) => FIELDS.map((f) => toColumn(f, record[f]))),
      );
    } catch (e) {
      if (isDuplicateExternalId(e)) throw new DuplicateExternalId();
      throw e;
    }
  };

  const store: TaskStore = {
    kind: 'postgres',
    insert: (record) => inserting(INSERT_SQL, [record]),
    async insertMany(records) {
      if (!records.length) return;
      if (records.length * FIELDS.length > MAX_PARAMETERS)
        throw new Error(`${records.length} tasks are too many for one INSERT`);
      await inserting(records.length === 1 ? INSERT_SQL : insertSql(records.length), records);
    },
    transaction: scope.transaction,
    get: async (id) => one(await rows('SELECT * FROM tasks WHERE id = $1', [id])),
    getByExternalId: async (ext) => one(await rows('SELECT * FROM tasks WHERE external_task_id = $1', [ext])),
    getByCallbackHash: async (hash) =>
      one(await rows('SELECT * FROM tasks WHERE callback_token_hash = $1', [hash])),
    async list({ limit, status, cursor }) {
      const after = cursor !== undefined ? decodeCursor(cursor) : undefined;
      if (cursor !== undefined && (!after || BigInt(after.seq) > MAX_INT8)) throw new BadCursor();
      const where: string[] = [];
      const values: unknown[] = [];
      if (status) {
        values.push(status);
        where.push(`status = $${values.length}`);
      }
      if (after) {
        values.push(after.createdAt, after.seq);
        where.push(`(created_at, seq) < ($${values.length - 1}::bigint, $${values.length}::bigint)`);
      }
      // One more than asked: whether it comes back says whether there is a next page, without a COUNT.
      values.push(limit + 1);
      const sql = `SELECT * FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, seq DESC LIMIT $${values.length}`;
      const found = (await q<Row & { seq: number }>(sql, values)).rows;
      const more = found.length > limit;
      const page = more ? found.slice(0, limit) : found;
      const last = page.at(-1);
      return {
        records: records(page),
        nextCursor: more && last ? encodeCursor(last.created_at as number, last.seq) : null,
      };
    },
    // `id COLLATE "C"` throughout: the order, the comparison and migration 8's index must agree.
    async listUpdatedSince(query) {
      const after = pastSince(query);
      return records(
        after
          ? await rows(
              `SELECT * FROM tasks WHERE (updated_at, id COLLATE "C") > ($1::bigint, $2::text)
               ORDER BY updated_at, id COLLATE "C" LIMIT $3`,
              [after.updatedAt, after.id, query.limit],
            )
          : await rows(
              `SELECT * FROM tasks WHERE updated_at >= $1 ORDER BY updated_at, id COLLATE "C" LIMIT $2`,
              [query.since, query.limit],
            ),
      );
    },
    countRunning: () => countOf(RUNNING),
    listConfirmedRunningIds: async () =>
      (
        await q<{ id: string }>(`SELECT id FROM tasks WHERE ${RUNNING} AND confirmed_at IS NOT NULL`)
      ).rows.map((r) => r.id),
    countUnfinished: () => countOf(`status IN ('queued', 'submitted', 'processing')`),
    countQueued: () => countOf(`status = 'queued'`),
    listUnfinished: async () =>
      records(await rows(`SELECT * FROM tasks WHERE ${RUNNING} ORDER BY created_at, seq`)),
    // The place comes from migration 9's sequence: two tasks becoming whole at once on two replicas get
    // distinct places in the order they asked, with no lock (and no wait for another replica's create).
    async markReady(id) {
      await q(
        `UPDATE tasks SET queue_seq = nextval('tasks_queue_order'), updated_at = $2
         WHERE id = $1 AND queue_seq IS NULL`,
        [id, clock.now()],
      );
    },
    async queueHeads() {
      // Each head's client's last turn: one backward step of migration 11's index per client, on the client
      // as the queue names it (none is '').
      const { rows: heads } = await q<QueueHead>(
        `SELECT h.id, h."clientId", h.seq, h.count, COALESCE((
           SELECT served_seq FROM tasks
           WHERE COALESCE(client_id, '') = h."clientId" AND served_seq IS NOT NULL
           ORDER BY served_seq DESC LIMIT 1), 0) AS served
         FROM (
           SELECT DISTINCT ON (client_id) id, COALESCE(client_id, '') AS "clientId",
             queue_seq AS seq, COUNT(*) OVER (PARTITION BY client_id) AS count
           FROM tasks WHERE ${WAITING} ORDER BY client_id, queue_seq, id
         ) AS h`,
      );
      return heads;
    },
    // `client_id = $1` (not IS NOT DISTINCT FROM, which no index answers) for a client, IS NULL for none.
    rankInClient: (clientId, seq) =>
      clientId === null
        ? countOf(`${WAITING} AND client_id IS NULL AND queue_seq <= $1`, [seq])
        : countOf(`${WAITING} AND client_id = $1 AND queue_seq <= $2`, [clientId, seq]),
    async claimForSending(id, now, fence) {
      if (!fence)
        return changed(
          await q(
            `UPDATE tasks SET sent_at = $1, updated_at = $1, ${TAKE_TURN} WHERE id = $2 AND ${WAITING}`,
            [now, id],
          ),
        );
      return changed(
        await q(
          `UPDATE tasks SET sent_at = $1, updated_at = $1, ${TAKE_TURN} WHERE id = $2 AND ${WAITING} AND EXISTS (
             SELECT 1 FROM leases WHERE name = $3 AND owner = $4 AND epoch = $5 AND until >= ${DB_NOW_MS})`,
          [now, id, fence.role, fence.owner, fence.epoch],
        ),
      );
    },
    listInFlight: async () =>
      records(
        await rows(`SELECT * FROM tasks WHERE status = 'queued' AND sent_at IS NOT NULL ORDER BY sent_at`),
      ),
    listUnready: async () =>
      records(
        await rows(
          `SELECT * FROM tasks WHERE status = 'queued' AND queue_seq IS NULL AND sent_at IS NULL
           ORDER BY created_at, seq`,
        ),
      ),
    cancel: async (id, now, message) =>
      changed(
        await q(
          `UPDATE tasks SET status = 'cancelled', status_message = $3, finished_at = $2, updated_at = $2
           WHERE id = $1 AND ${WAITING}`,
          [id, now, message],
        ),
      ),
    // Under the lock, as markReady: two moves to the front at once must not read the same MIN.
    moveToFront: (id) =>
      scope.locked(async (tx) => {
        const { rows: found } = await tx<{ client_id: string | null }>(
          'SELECT client_id FROM tasks WHERE id = $1',
          [id],
        );
        const task = found[0];
        if (!task) return false;
        const sameClient = task.client_id === null ? 'client_id IS NULL' : 'client_id = $3';
        return changed(
          await tx(
            `UPDATE tasks SET queue_seq = (SELECT MIN(queue_seq) - 1 FROM tasks WHERE ${WAITING} AND ${sameClient}),
               updated_at = $2
             WHERE id = $1 AND ${WAITING}`,
            task.client_id === null ? [id, clock.now()] : [id, clock.now(), task.client_id],
          ),
        );
      }),
    async spentSince(since) {
      const { rows: sums } = await q<{ units: number }>(
        `SELECT COALESCE(SUM(price_units), 0) AS units FROM tasks WHERE created_at >= $1 AND ${SPENDING}`,
        [since],
      );
      return sums[0]?.units ?? 0;
    },
    async admissionCounts({ since, peer, recentSince }) {
      const { rows: counts } = await q<{
        spentUnits: number;
        unfinished: number;
        recentCount: number;
        recentOldest: number | null;
      }>(
        `SELECT
           (SELECT COALESCE(SUM(price_units), 0) FROM tasks WHERE created_at >= $1 AND ${SPENDING}) AS "spentUnits",
           (SELECT COUNT(*) FROM tasks WHERE status IN ('queued', 'submitted', 'processing')) AS unfinished,
           r.count AS "recentCount", r.oldest AS "recentOldest"
         FROM (${recentCreatesSql('$2', '$3')}) AS r`,
        [since, peer, recentSince],
      );
      const row = counts[0];
      if (!row) return { spentUnits: 0, unfinished: 0, recent: { count: 0, oldest: null } };
      return {
        spentUnits: row.spentUnits,
        unfinished: row.unfinished,
        recent: { count: row.recentCount, oldest: row.recentOldest },
      };
    },
    async recentCreates(peer, since) {
      const { rows: found } = await q<RecentCreates>(recentCreatesSql('$1', '$2'), [peer, since]);
      return found[0] ?? { count: 0, oldest: null };
    },
    async recordCreate(peer, at, forgetBefore) {
      await q(
        `WITH forgotten AS (DELETE FROM create_admissions WHERE at < $3)
         INSERT INTO create_admissions (peer, at) VALUES ($1, $2)`,
        [peer, at, forgetBefore],
      );
    },
    async readQueueState(key) {
      const { rows: found } = await q<{ value: string }>('SELECT value FROM queue_state WHERE key = $1', [
        key,
      ]);
      return found[0]?.value;
    },
    async writeQueueState(key, value) {
      await q(
        'INSERT INTO queue_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [key, value],
      );
    },
    async update(id, patch: TaskPatch) {
      const { fields, values } = patchColumns(stamped(patch, clock));
      const updated = fields.length
        ? one(
            await rows(`UPDATE tasks SET ${setClause(fields, 2)} WHERE id = $1 RETURNING *`, [id, ...values]),
          )
        : await store.get(id);
      if (!updated) throw new Error(`task ${id} vanished during update`);
      return updated;
    },
    async updateIfStatus(id, status, patch) {
      const { fields, values } = patchColumns(stamped(patch, clock));
      if (!fields.length)
        return one(await rows('SELECT * FROM tasks WHERE id = $1 AND status = $2', [id, status]));
      return one(
        await rows(`UPDATE tasks SET ${setClause(fields, 3)} WHERE id = $1 AND status = $2 RETURNING *`, [
          id,
          status,
          ...values,
        ]),
      );
    },
    async updateFenced(id, patch, owner, lease) {
      const { fields, values } = patchColumns(stamped(patch, clock));
      // An empty patch still proves the lease: the caller learns whether it may go on.
      const set = fields.length ? setClause(fields, 4) : 'lease_until = lease_until';
      return one(
        await rows(
          `UPDATE tasks SET ${set}
           WHERE id = $1 AND lease_owner = $2 AND lease_epoch = $3 AND lease_until >= ${DB_NOW_MS}
           RETURNING *`,
          [id, owner, lease.epoch, ...values],
        ),
      );
    },
    async delete(id) {
      await q('DELETE FROM tasks WHERE id = $1', [id]);
    },
    ...leases,
    uploads: pgUploadRows(q, scope.atomic),
    ping: lifecycle.ping,
    close: lifecycle.close,
  };
  return store;
}

/** A peer's creates in the rate window, with the peer and the window's start as the given parameters. */
const recentCreatesSql = (peer: string, since: string) =>
  `SELECT COUNT(*) AS count, MIN(at) AS oldest FROM create_admissions WHERE peer = ${peer} AND at >= ${since}`;

/** A send takes the queue's next turn (migration 11's sequence: no lock, whichever replica sends). */
const TAKE_TURN = "served_seq = nextval('tasks_served_order')";
