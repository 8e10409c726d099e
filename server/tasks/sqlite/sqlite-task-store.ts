import type Database from 'better-sqlite3';
import { type Clock, systemClock } from '../../lib/clock.ts';
import { notFound } from '../../lib/studio-error.ts';
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
  UPLOAD_COLUMNS,
  type UploadColumns,
  uploadFromColumns,
  uploadToColumns,
  WAITING,
} from '../task-columns.ts';
import type { TaskRecord } from '../task-record.ts';
import {
  decodeCursor,
  encodeCursor,
  type Lease,
  pastSince,
  type QueueHead,
  type RecentCreates,
  type RoleFence,
  stamped,
  type TaskPatch,
  type TaskStore,
  type UploadRow,
  type UploadRows,
} from '../task-store.ts';
import type { Db } from './database.ts';

/**
 * The task store on SQLite (DATA_DIR/studio.db): one process, synchronous statements behind the async
 * interface. A transaction is BEGIN IMMEDIATE … COMMIT around an async function; while one is open, every
 * call that does not come through its `tx` waits for it, so nothing of another request's lands inside it
 * (or is rolled back with it). Leases follow the injected clock: one process holds them all, but runs the
 * same tracker and dispatcher code as a cluster. The clock also stamps `updated_at` where the caller gives
 * no time (markReady, moveToFront, a patch without `updatedAt`).
 */
export function createSqliteTaskStore(db: Db, opts: { clock?: Clock } = {}): TaskStore {
  const clock = opts.clock ?? systemClock;
  const ops = sqliteOps(db, clock);
  /** Resolves when the open transaction has ended; undefined when none is open. */
  let open: Promise<void> | undefined;

  const gated = <T>(fn: () => T): Promise<T> => {
    if (open) return open.then(() => gated(fn));
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e);
    }
  };
  const direct = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e);
    }
  };

  const tx: TaskStore = bind(ops, direct, (fn) => fn(tx));
  const store: TaskStore = bind(ops, gated, async (fn) => {
    while (open) await open;
    let ended!: () => void;
    open = new Promise<void>((resolve) => {
      ended = resolve;
    });
    db.exec('BEGIN IMMEDIATE');
    try {
      const value = await fn(tx);
      db.exec('COMMIT');
      return value;
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    } finally {
      open = undefined;
      ended();
    }
  });
  return store;
}

type Ops = ReturnType<typeof sqliteOps>;
type Run = <T>(fn: () => T) => Promise<T>;

function bind(ops: Ops, run: Run, transaction: TaskStore['transaction']): TaskStore {
  return {
    kind: 'sqlite',
    insert: (record) => run(() => ops.insert(record)),
    insertMany: (records) => run(() => ops.insertMany(records)),
    transaction,
    get: (id) => run(() => ops.get(id)),
    getByExternalId: (ext) => run(() => ops.getByExternalId(ext)),
    getByCallbackHash: (hash) => run(() => ops.getByCallbackHash(hash)),
    list: (q) => run(() => ops.list(q)),
    listUpdatedSince: (q) => run(() => ops.listUpdatedSince(q)),
    countRunning: () => run(ops.countRunning),
    listConfirmedRunningIds: () => run(ops.listConfirmedRunningIds),
    countUnfinished: () => run(ops.countUnfinished),
    countQueued: () => run(ops.countQueued),
    listUnfinished: () => run(ops.listUnfinished),
    markReady: (id) => run(() => ops.markReady(id)),
    queueHeads: () => run(ops.queueHeads),
    rankInClient: (clientId, seq) => run(() => ops.rankInClient(clientId, seq)),
    claimForSending: (id, now, fence) => run(() => ops.claimForSending(id, now, fence)),
    listInFlight: () => run(ops.listInFlight),
    listUnready: () => run(ops.listUnready),
    cancel: (id, now, message) => run(() => ops.cancel(id, now, message)),
    moveToFront: (id) => run(() => ops.moveToFront(id)),
    spentSince: (since) => run(() => ops.spentSince(since)),
    admissionCounts: (q) => run(() => ops.admissionCounts(q)),
    recentCreates: (peer, since) => run(() => ops.recentCreates(peer, since)),
    recordCreate: (peer, at, forgetBefore) => run(() => ops.recordCreate(peer, at, forgetBefore)),
    readQueueState: (key) => run(() => ops.readQueueState(key)),
    writeQueueState: (key, value) => run(() => ops.writeQueueState(key, value)),
    update: (id, patch) => run(() => ops.update(id, patch)),
    updateIfStatus: (id, status, patch) => run(() => ops.updateIfStatus(id, status, patch)),
    updateFenced: (id, patch, owner, lease) => run(() => ops.updateFenced(id, patch, owner, lease)),
    delete: (id) => run(() => ops.remove(id)),
    claimTracking: (owner, leaseMs, limit) => run(() => ops.claimTracking(owner, leaseMs, limit)),
    claimTask: (id, owner, leaseMs, steal) => run(() => ops.claimTask(id, owner, leaseMs, steal)),
    renewTracking: (owner, leases, leaseMs) => run(() => ops.renewTracking(owner, leases, leaseMs)),
    releaseTask: (owner, lease) => run(() => ops.releaseTask(owner, lease)),
    claimRole: (role, owner, leaseMs) => run(() => ops.claimRole(role, owner, leaseMs)),
    releaseRole: (fence) => run(() => ops.releaseRole(fence)),
    uploads: {
      insert: (row) => run(() => ops.uploads.insert(row)),
      get: (id) => run(() => ops.uploads.get(id)),
      allIds: () => run(ops.uploads.allIds),
      claim: (uploadId, taskId) => run(() => ops.uploads.claim(uploadId, taskId)),
      claimedByServable: (uploadId, taskId) => run(() => ops.uploads.claimedByServable(uploadId, taskId)),
      removeExpired: (cutoff) => run(() => ops.uploads.removeExpired(cutoff)),
    } satisfies UploadRows,
    ping: () => run(ops.ping),
    close: async () => {
      ops.close();
    },
  };
}

const isUniqueViolation = (e: unknown) =>
  e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_UNIQUE';

function sqliteOps(db: Db, clock: Clock) {
  const insert = db.prepare(
    `INSERT INTO tasks (${FIELDS.map((f) => COLUMNS[f]).join(', ')}) VALUES (${FIELDS.map((f) => `@${f}`).join(', ')})`,
  );
  const byId = db.prepare('SELECT * FROM tasks WHERE id = ?');
  const byExternal = db.prepare('SELECT * FROM tasks WHERE external_task_id = ?');
  const byHash = db.prepare('SELECT * FROM tasks WHERE callback_token_hash = ?');
  // Keyset paging on (created_at, rowid), newest first: the created_at and status indexes carry the rowid.
  const pageSql = (status: boolean, after: boolean) =>
    db.prepare(
      `SELECT rowid AS seq, * FROM tasks
       ${status || after ? 'WHERE' : ''} ${status ? 'status = @status' : ''} ${status && after ? 'AND' : ''}
       ${after ? '(created_at, rowid) < (@createdAt, @seq)' : ''}
       ORDER BY created_at DESC, rowid DESC LIMIT @limit`,
    );
  // The catch-up read, by the (updated_at, id) index (migration 8). A page after another names only the
  // row value: with `updated_at >= @since` beside it, SQLite scans from `since` and skips rows up to it.
  const updatedFrom = db.prepare(
    'SELECT * FROM tasks WHERE updated_at >= @since ORDER BY updated_at, id LIMIT @limit',
  );
  const updatedAfter = db.prepare(
    'SELECT * FROM tasks WHERE (updated_at, id) > (@updatedAt, @id) ORDER BY updated_at, id LIMIT @limit',
  );
  const pages = new Map<string, Database.Statement>();
  const pageStatement = (status: boolean, after: boolean) => {
    const key = `${status}${after}`;
    let s = pages.get(key);
    if (!s) {
      s = pageSql(status, after);
      pages.set(key, s);
    }
    return s;
  };
  const countAll = (where: string) => db.prepare(`SELECT COUNT(*) FROM tasks WHERE ${where}`).pluck();
  const running = countAll(RUNNING);
  const unfinished = db.prepare(`SELECT * FROM tasks WHERE ${RUNNING} ORDER BY created_at ASC`);
  const unfinishedCount = countAll(`status IN ('queued', 'submitted', 'processing')`);
  const confirmedRunning = db
    .prepare(`SELECT id FROM tasks WHERE ${RUNNING} AND confirmed_at IS NOT NULL`)
    .pluck();
  const queuedCount = countAll(`status = 'queued'`);
  const ready = db.prepare(
    `UPDATE tasks SET queue_seq = (SELECT COALESCE(MAX(queue_seq), 0) + 1 FROM tasks), updated_at = @now
     WHERE id = @id AND queue_seq IS NULL`,
  );
  // SQLite gives the bare columns of the row that holds the MIN: each client's first waiting task. Both read
  // only the partial index of waiting tasks (migration 6), whatever else the table holds.
  // Each head's client's last turn: one probe of migration 11's index per client.
  const heads = db.prepare(
    `SELECT h.id, h.clientId, h.seq, h.count, COALESCE((
       SELECT MAX(s.served_seq) FROM tasks AS s
       WHERE s.client_id IS h.client AND s.served_seq IS NOT NULL), 0) AS served
     FROM (
       SELECT id, client_id AS client, COALESCE(client_id, '') AS clientId, MIN(queue_seq) AS seq, COUNT(*) AS count
       FROM tasks INDEXED BY tasks_waiting WHERE ${WAITING} GROUP BY client_id
     ) AS h`,
  );
  const rank = db
    .prepare(
      `SELECT COUNT(*) FROM tasks INDEXED BY tasks_waiting WHERE ${WAITING} AND client_id IS ? AND queue_seq <= ?`,
    )
    .pluck();
  const takeTurn =
    'served_seq = (SELECT COALESCE(MAX(served_seq), 0) + 1 FROM tasks WHERE served_seq IS NOT NULL)';
  const claim = db.prepare(
    `UPDATE tasks SET sent_at = @now, updated_at = @now, ${takeTurn} WHERE id = @id AND ${WAITING}`,
  );
  const claimFenced = db.prepare(
    `UPDATE tasks SET sent_at = @now, updated_at = @now, ${takeTurn} WHERE id = @id AND ${WAITING} AND EXISTS (
       SELECT 1 FROM leases WHERE name = @role AND owner = @owner AND epoch = @epoch AND until >= @clock)`,
  );
  const inFlight = db.prepare(
    `SELECT * FROM tasks WHERE status = 'queued' AND sent_at IS NOT NULL ORDER BY sent_at`,
  );
  const unready = db.prepare(
    `SELECT * FROM tasks WHERE status = 'queued' AND queue_seq IS NULL AND sent_at IS NULL`,
  );
  const cancelOne = db.prepare(
    `UPDATE tasks SET status = 'cancelled', status_message = @message, finished_at = @now, updated_at = @now
     WHERE id = @id AND ${WAITING}`,
  );
  const front = db.prepare(
    `UPDATE tasks SET queue_seq = (SELECT MIN(queue_seq) - 1 FROM tasks WHERE ${WAITING} AND client_id IS @client),
       updated_at = @now
     WHERE id = @id AND ${WAITING}`,
  );
  const spent = db
    .prepare(`SELECT COALESCE(SUM(price_units), 0) FROM tasks WHERE created_at >= ? AND ${SPENDING}`)
    .pluck();
  const recent = db.prepare<[string, number], RecentCreates>(
    'SELECT COUNT(*) AS count, MIN(at) AS oldest FROM create_admissions WHERE peer = ? AND at >= ?',
  );
  const admitted = db.prepare('INSERT INTO create_admissions (peer, at) VALUES (?, ?)');
  const forgetAdmissions = db.prepare('DELETE FROM create_admissions WHERE at < ?');
  const stateGet = db.prepare('SELECT value FROM queue_state WHERE key = ?').pluck();
  const stateSet = db.prepare(
    'INSERT INTO queue_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare('DELETE FROM tasks WHERE id = ?');
  const holds = db.prepare(
    `UPDATE tasks SET lease_until = lease_until
     WHERE id = @id AND lease_owner = @leaseOwner AND lease_epoch = @leaseEpoch AND lease_until >= @clock`,
  );

  const claimMany = db.prepare<{ owner: string; until: number; now: number; limit: number }, Lease>(
    `UPDATE tasks SET lease_owner = @owner, lease_until = @until, lease_epoch = lease_epoch + 1
     WHERE id IN (SELECT id FROM tasks WHERE ${RUNNING} AND (lease_owner IS NULL OR lease_until < @now)
                  ORDER BY created_at LIMIT @limit)
     RETURNING id, lease_epoch AS epoch`,
  );
  const claimOne = db.prepare<
    { id: string; owner: string; until: number; now: number; steal: number },
    { epoch: number }
  >(
    `UPDATE tasks SET lease_owner = @owner, lease_until = @until,
       lease_epoch = CASE WHEN lease_owner IS @owner THEN lease_epoch ELSE lease_epoch + 1 END
     WHERE id = @id AND ${RUNNING}
       AND (lease_owner IS NULL OR lease_until < @now OR lease_owner = @owner OR @steal = 1)
     RETURNING lease_epoch AS epoch`,
  );
  const renewOne = db.prepare(
    `UPDATE tasks SET lease_until = @until WHERE id = @id AND lease_owner = @owner AND lease_epoch = @epoch`,
  );
  const releaseOne = db.prepare(
    `UPDATE tasks SET lease_owner = NULL, lease_until = NULL
     WHERE id = @id AND lease_owner = @owner AND lease_epoch = @epoch`,
  );
  const roleClaim = db.prepare<
    { role: string; owner: string; until: number; now: number },
    { epoch: number }
  >(
    `INSERT INTO leases (name, owner, until, epoch) VALUES (@role, @owner, @until, 1)
     ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until,
       epoch = CASE WHEN leases.owner = excluded.owner THEN leases.epoch ELSE leases.epoch + 1 END
     WHERE leases.owner = excluded.owner OR leases.until < @now
     RETURNING epoch`,
  );
  const roleRelease = db.prepare(
    'UPDATE leases SET until = 0 WHERE name = @role AND owner = @owner AND epoch = @epoch',
  );

  // One prepared UPDATE per set of fields (a handful exist: create, tracker, archive), made on first use.
  const updates = new Map<string, Database.Statement>();
  const updateStatement = (fields: string[], fenced: boolean, ifStatus = false) => {
    const key = `${fenced ? 'F' : ''}${ifStatus ? 'S' : ''}${fields.join(',')}`;
    let statement = updates.get(key);
    if (!statement) {
      const set = fields.map((f) => `${COLUMNS[f as keyof typeof COLUMNS]} = @${f}`).join(', ');
      statement = db.prepare(
        `UPDATE tasks SET ${set} WHERE id = @id${fenced ? ' AND lease_owner = @leaseOwner AND lease_epoch = @leaseEpoch AND lease_until >= @clock' : ''}${ifStatus ? ' AND status = @ifStatus' : ''}`,
      );
      updates.set(key, statement);
    }
    return statement;
  };
  const one = (row: unknown) => (row ? fromRow(row as Row) : undefined);
  const patchValues = (id: string, patch: TaskPatch) => {
    const { fields, values } = patchColumns(stamped(patch, clock));
    const named: Record<string, unknown> = { id };
    fields.forEach((f, i) => {
      named[f] = values[i];
    });
    return { fields, named };
  };

  const uploads = uploadOps(db);
  const insertOne = (record: TaskRecord) => {
    try {
      insert.run(Object.fromEntries(FIELDS.map((f) => [f, toColumn(f, record[f])])));
    } catch (e) {
      if (isUniqueViolation(e) && String((e as Error).message).includes('external_task_id'))
        throw new DuplicateExternalId();
      throw e;
    }
  };
  // A savepoint when a transaction is open already: the records are kept or dropped together either way.
  const insertEach = db.transaction((records: readonly TaskRecord[]) => {
    for (const r of records) insertOne(r);
  });
  return {
    insert: insertOne,
    insertMany: (records: readonly TaskRecord[]) => insertEach(records),
    get: (id: string) => one(byId.get(id)),
    getByExternalId: (ext: string) => one(byExternal.get(ext)),
    getByCallbackHash: (hash: string) => one(byHash.get(hash)),
    list(q: Parameters<TaskStore['list']>[0]) {
      const after = q.cursor !== undefined ? decodeCursor(q.cursor) : undefined;
      if (q.cursor !== undefined && !after) throw new BadCursor();
      const rows = pageStatement(q.status !== undefined, after !== undefined).all({
        limit: q.limit + 1,
        ...(q.status ? { status: q.status } : {}),
        ...(after ? { createdAt: after.createdAt, seq: BigInt(after.seq) } : {}),
      }) as (Row & { seq: number })[];
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      const last = page.at(-1);
      return {
        records: page.map(fromRow),
        nextCursor: more && last ? encodeCursor(last.created_at as number, last.seq) : null,
      };
    },
    listUpdatedSince(q: Parameters<TaskStore['listUpdatedSince']>[0]) {
      const after = pastSince(q);
      const rows = after
        ? updatedAfter.all({ limit: q.limit, updatedAt: after.updatedAt, id: after.id })
        : updatedFrom.all({ since: q.since, limit: q.limit });
      return (rows as Row[]).map(fromRow);
    },
    countRunning: () => running.get() as number,
    countUnfinished: () => unfinishedCount.get() as number,
    listConfirmedRunningIds: () => confirmedRunning.all() as string[],
    countQueued: () => queuedCount.get() as number,
    listUnfinished: () => (unfinished.all() as Row[]).map(fromRow),
    markReady(id: string) {
      ready.run({ id, now: clock.now() });
    },
    queueHeads: () => heads.all() as QueueHead[],
    rankInClient: (clientId: string | null, seq: number) => rank.get(clientId, seq) as number,
    claimForSending(id: string, now: number, fence?: RoleFence) {
      if (!fence) return claim.run({ now, id }).changes === 1;
      return (
        claimFenced.run({
          id,
          now,
          role: fence.role,
          owner: fence.owner,
          epoch: fence.epoch,
          clock: clock.now(),
        }).changes === 1
      );
    },
    listInFlight: () => (inFlight.all() as Row[]).map(fromRow),
    listUnready: () => (unready.all() as Row[]).map(fromRow),
    cancel: (id: string, now: number, message: string) => cancelOne.run({ id, now, message }).changes === 1,
    moveToFront(id: string) {
      const row = byId.get(id) as Row | undefined;
      if (!row) return false;
      return front.run({ id, client: row.client_id ?? null, now: clock.now() }).changes === 1;
    },
    spentSince: (since: number) => spent.get(since) as number,
    // One process, synchronous statements: the reads cannot be split by another write.
    admissionCounts: (q: { since: number; peer: string; recentSince: number }) => ({
      spentUnits: spent.get(q.since) as number,
      unfinished: unfinishedCount.get() as number,
      recent: recent.get(q.peer, q.recentSince)!,
    }),
    recentCreates: (peer: string, since: number) => recent.get(peer, since)!,
    recordCreate(peer: string, at: number, forgetBefore: number) {
      forgetAdmissions.run(forgetBefore);
      admitted.run(peer, at);
    },
    readQueueState: (key: string) => stateGet.get(key) as string | undefined,
    writeQueueState(key: string, value: string) {
      stateSet.run(key, value);
    },
    update(id: string, patch: TaskPatch) {
      const { fields, named } = patchValues(id, patch);
      if (fields.length) updateStatement(fields, false).run(named);
      const updated = one(byId.get(id));
      if (!updated) throw new Error(`task ${id} vanished during update`);
      return updated;
    },
    updateIfStatus(id: string, status: string, patch: TaskPatch) {
      const { fields, named } = patchValues(id, patch);
      if (!fields.length) {
        const current = one(byId.get(id));
        return current?.status === status ? current : undefined;
      }
      const changed = updateStatement(fields, false, true).run({ ...named, ifStatus: status }).changes;
      return changed === 1 ? one(byId.get(id)) : undefined;
    },
    updateFenced(id: string, patch: TaskPatch, owner: string, lease: Lease) {
      const { fields, named } = patchValues(id, patch);
      const fence = { leaseOwner: owner, leaseEpoch: lease.epoch, clock: clock.now() };
      // An empty patch still proves the lease: the caller learns whether it may go on.
      const changed = fields.length
        ? updateStatement(fields, true).run({ ...named, ...fence }).changes
        : holds.run({ id, ...fence }).changes;
      return changed === 1 ? one(byId.get(id)) : undefined;
    },
    remove(id: string) {
      remove.run(id);
    },
    claimTracking(owner: string, leaseMs: number, limit: number) {
      const now = clock.now();
      return claimMany.all({ owner, until: now + leaseMs, now, limit });
    },
    claimTask(id: string, owner: string, leaseMs: number, steal = false) {
      const now = clock.now();
      const row = claimOne.get({ id, owner, until: now + leaseMs, now, steal: steal ? 1 : 0 });
      return row ? { id, epoch: row.epoch } : undefined;
    },
    renewTracking(owner: string, leases: Lease[], leaseMs: number) {
      const until = clock.now() + leaseMs;
      return db.transaction(() =>
        leases.filter((l) => renewOne.run({ id: l.id, owner, epoch: l.epoch, until }).changes === 1),
      )();
    },
    releaseTask(owner: string, lease: Lease) {
      releaseOne.run({ id: lease.id, owner, epoch: lease.epoch });
    },
    claimRole(role: string, owner: string, leaseMs: number): RoleFence | undefined {
      const now = clock.now();
      const row = roleClaim.get({ role, owner, until: now + leaseMs, now });
      return row ? { role, owner, epoch: row.epoch } : undefined;
    },
    releaseRole(fence: RoleFence) {
      roleRelease.run(fence);
    },
    uploads,
    ping: () => {
      try {
        return db.prepare('SELECT 1').pluck().get() === 1;
      } catch {
        return false;
      }
    },
    close: () => db.close(),
  };
}

/** The status lists are constants, never input: they are written into the SQL as is. */
const sqlList = (list: readonly string[]) => list.map((s) => `'${s}'`).join(', ');
/**
 * Kling may fetch a reference only while it works on the task: once it has been sent, until it ends. A
 * queued task with `sent_at` is being sent right now (Kling fetches the reference during the create).
 */
export const SERVABLE_STATUSES = ['submitted', 'processing'];
/** A task in any other status no longer needs its reference. */
export const FINISHED_STATUSES = ['succeed', 'failed', 'cancelled'];

function uploadOps(db: Db) {
  const q = {
    get: db.prepare<[string], UploadColumns>('SELECT * FROM uploads WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO uploads (${UPLOAD_COLUMNS.join(', ')}) VALUES (${UPLOAD_COLUMNS.map((c) => `@${c}`).join(', ')})`,
    ),
    claim: db.prepare('INSERT OR IGNORE INTO upload_claims (upload_id, task_id) VALUES (?, ?)'),
    claimedByServable: db
      .prepare<[string, string], number>(
        `SELECT 1 FROM upload_claims c JOIN tasks t ON t.id = c.task_id
         WHERE c.upload_id = ? AND c.task_id = ?
           AND (t.status IN (${sqlList(SERVABLE_STATUSES)}) OR (t.status = 'queued' AND t.sent_at IS NOT NULL))`,
      )
      .pluck(),
    expired: db.prepare<[number], Pick<UploadColumns, 'id' | 'format'>>(
      `SELECT u.id, u.format FROM uploads u WHERE u.created_at < ? AND NOT EXISTS (
           SELECT 1 FROM upload_claims c JOIN tasks t ON t.id = c.task_id
           WHERE c.upload_id = u.id AND t.status NOT IN (${sqlList(FINISHED_STATUSES)}))`,
    ),
    remove: db.prepare('DELETE FROM uploads WHERE id = ?'),
    allIds: db.prepare<[], string>('SELECT id FROM uploads').pluck(),
  };
  return {
    insert(row: UploadRow) {
      q.insert.run(uploadToColumns(row));
    },
    get(id: string) {
      const row = q.get.get(id);
      return row ? uploadFromColumns(row) : undefined;
    },
    allIds: () => q.allIds.all(),
    claim(uploadId: string, taskId: string) {
      try {
        q.claim.run(uploadId, taskId);
      } catch (e) {
        if (e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
          throw notFound('upload');
        throw e;
      }
    },
    claimedByServable: (uploadId: string, taskId: string) => q.claimedByServable.get(uploadId, taskId) === 1,
    // Rows first, in one transaction: from then on a claim of a removed upload fails (foreign key), so a
    // create can never hand Kling a link to a file that is about to go.
    removeExpired: (cutoff: number) =>
      db.transaction(() => {
        const rows = q.expired.all(cutoff);
        for (const r of rows) q.remove.run(r.id);
        return rows;
      })(),
  };
}
