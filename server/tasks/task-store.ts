import type Database from 'better-sqlite3';
import type { TaskStatus } from '../../contract/schemas/kling-task.ts';
import {
  type StoredInputs,
  type StoredReference,
  storedInputsSchema,
  storedReferenceSchema,
} from '../inputs/stored-inputs.ts';
import type { Db } from './database.ts';
import type { TaskRecord } from './task-record.ts';

/** The columns behind each record field; JSON fields are (de)serialised here and nowhere else. */
const COLUMNS = {
  id: 'id',
  kind: 'kind',
  externalTaskId: 'external_task_id',
  klingTaskId: 'kling_task_id',
  status: 'status',
  statusMessage: 'status_message',
  model: 'model',
  mode: 'mode',
  duration: 'duration',
  motion: 'motion',
  prompt: 'prompt',
  units: 'units',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  finishedAt: 'finished_at',
  confirmedAt: 'confirmed_at',
  resultUrl: 'result_url',
  resultDuration: 'result_duration',
  videoPath: 'video_path',
  videoBytes: 'video_bytes',
  videoDuration: 'video_duration',
  archivedAt: 'archived_at',
  callbackTokenHash: 'callback_token_hash',
  request: 'request_json',
  inputs: 'inputs_json',
  reference: 'reference_json',
  hasThumbnail: 'has_thumbnail',
  clientId: 'client_id',
  sentAt: 'sent_at',
  queueSeq: 'queue_seq',
  priceUnits: 'price_units',
  batchId: 'batch_id',
  batchIndex: 'batch_index',
  batchSize: 'batch_size',
  uploadBase: 'upload_base',
} as const satisfies Record<keyof TaskRecord, string>;

type Field = keyof typeof COLUMNS;
type Row = Record<(typeof COLUMNS)[Field], unknown>;
const FIELDS = Object.keys(COLUMNS) as Field[];

function toColumn(field: Field, value: unknown): unknown {
  if (field === 'request' || field === 'inputs') return JSON.stringify(value);
  if (field === 'reference') return value ? JSON.stringify(value) : null;
  if (field === 'hasThumbnail') return value ? 1 : 0;
  return value;
}

function fromRow(row: Row): TaskRecord {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) out[f] = row[COLUMNS[f]];
  // The request is the body of the task kind's endpoint; the kind column says which (TaskRecord's union).
  out.request = JSON.parse(row.request_json as string) as TaskRecord['request'];
  out.inputs = storedInputsSchema.parse(JSON.parse(row.inputs_json as string)) satisfies StoredInputs;
  out.reference =
    typeof row.reference_json === 'string'
      ? (storedReferenceSchema.parse(JSON.parse(row.reference_json)) satisfies StoredReference)
      : null;
  out.hasThumbnail = row.has_thumbnail === 1;
  return out as TaskRecord;
}

/** Sent to Kling and not finished: what holds one of Kling's slots. */
export const UNFINISHED: readonly TaskStatus[] = ['submitted', 'processing'];

/** A queued task that is whole and not in flight: what the dispatcher may send next. */
export interface WaitingTask {
  id: string;
  clientId: string;
  seq: number;
}

/** A client's first waiting task, and how many it has waiting. */
export interface QueueHead extends WaitingTask {
  count: number;
}

/**
 * A queued task is "waiting" when it is whole (queue_seq set) and not in flight (no sent_at). The
 * conditions are constants of this file, written into the SQL as is.
 */
const WAITING = `status = 'queued' AND sent_at IS NULL AND queue_seq IS NOT NULL`;
/**
 * What today's budget counts: queued tasks (they will be sent) and every task Kling took. A task that
 * ended without Kling creating it (refused, never confirmed, cancelled) cost nothing.
 */
const SPENDING = `(status IN ('queued', 'submitted', 'processing', 'succeed') OR (status = 'failed' AND kling_task_id IS NOT NULL))`;

export interface TaskStore {
  insert(record: TaskRecord): void;
  /** Runs `fn` in one transaction (a batch's inserts, with the checks that admit them). */
  transaction<T>(fn: () => T): T;
  get(id: string): TaskRecord | undefined;
  getByExternalId(externalTaskId: string): TaskRecord | undefined;
  getByCallbackHash(hash: string): TaskRecord | undefined;
  /** Newest first. */
  list(q: { page: number; pageSize: number; status?: TaskStatus }): { records: TaskRecord[]; total: number };
  /** Tasks holding one of Kling's slots (submitted or processing). */
  countRunning(): number;
  /** Of those, the ones Kling confirmed: what it is known to hold (an unanswered create may not exist). */
  countConfirmedRunning(): number;
  /** Queued (in flight or not) plus running: what the wallet guard's MAX_RUNNING_TASKS bounds. */
  countUnfinished(): number;
  countQueued(): number;
  listUnfinished(): TaskRecord[];
  /** The task is whole: it joins the end of the queue. */
  markReady(id: string): void;
  /** The first waiting task of each client, with the client's count. */
  queueHeads(): QueueHead[];
  /** A waiting task's place in its client's queue (1: its first), from the index. */
  rankInClient(clientId: string | null, seq: number): number;
  /** Marks a waiting task in flight (`sent_at`); false when it is no longer waiting (cancelled, say). */
  claimForSending(id: string, now: number): boolean;
  /** Queued tasks a crash left in flight: sent, or about to be, with no answer stored. */
  listInFlight(): TaskRecord[];
  /** Queued tasks whose inputs were never all stored (the studio died mid-create). */
  listUnready(): TaskRecord[];
  /** A waiting task becomes `cancelled`, with `message`; false when it is not waiting (any more). */
  cancel(id: string, now: number, message: string): boolean;
  /** A waiting task goes before every other waiting task of its client; false when it is not waiting. */
  moveToFront(id: string): boolean;
  /** Units of the tasks created since `since` that were sent or are queued (see SPENDING). */
  spentSince(since: number): number;
  /** The dispatcher's notes about Kling (queue_state). */
  readQueueState(key: string): string | undefined;
  writeQueueState(key: string, value: string): void;
  /** Writes the given fields and returns the updated record. */
  update(id: string, patch: Partial<Omit<TaskRecord, 'id'>>): TaskRecord;
  delete(id: string): void;
}

export function createTaskStore(db: Db): TaskStore {
  const insert = db.prepare(
    `INSERT INTO tasks (${FIELDS.map((f) => COLUMNS[f]).join(', ')}) VALUES (${FIELDS.map((f) => `@${f}`).join(', ')})`,
  );
  const byId = db.prepare('SELECT * FROM tasks WHERE id = ?');
  const byExternal = db.prepare('SELECT * FROM tasks WHERE external_task_id = ?');
  const byHash = db.prepare('SELECT * FROM tasks WHERE callback_token_hash = ?');
  const page = db.prepare('SELECT * FROM tasks ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?');
  const pageByStatus = db.prepare(
    'SELECT * FROM tasks WHERE status = ? ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?',
  );
  const count = db.prepare('SELECT COUNT(*) FROM tasks').pluck();
  const countByStatus = db.prepare('SELECT COUNT(*) FROM tasks WHERE status = ?').pluck();
  const running = db
    .prepare(`SELECT COUNT(*) FROM tasks WHERE status IN ('submitted', 'processing')`)
    .pluck();
  const unfinished = db.prepare(
    `SELECT * FROM tasks WHERE status IN ('submitted', 'processing') ORDER BY created_at ASC`,
  );
  const countAll = (where: string) => db.prepare(`SELECT COUNT(*) FROM tasks WHERE ${where}`).pluck();
  const unfinishedCount = countAll(`status IN ('queued', 'submitted', 'processing')`);
  const confirmedRunning = countAll(`status IN ('submitted', 'processing') AND confirmed_at IS NOT NULL`);
  const queuedCount = countAll(`status = 'queued'`);
  const ready = db.prepare(
    'UPDATE tasks SET queue_seq = (SELECT COALESCE(MAX(queue_seq), 0) + 1 FROM tasks) WHERE id = ? AND queue_seq IS NULL',
  );
  // SQLite gives the bare columns of the row that holds the MIN: each client's first waiting task. Both read
  // only the partial index of waiting tasks (migration 6), whatever else the table holds.
  const heads = db.prepare(
    `SELECT id, COALESCE(client_id, '') AS clientId, MIN(queue_seq) AS seq, COUNT(*) AS count
     FROM tasks INDEXED BY tasks_waiting WHERE ${WAITING} GROUP BY client_id`,
  );
  const rank = db
    .prepare(
      `SELECT COUNT(*) FROM tasks INDEXED BY tasks_waiting WHERE ${WAITING} AND client_id IS ? AND queue_seq <= ?`,
    )
    .pluck();
  const claim = db.prepare(`UPDATE tasks SET sent_at = ? WHERE id = ? AND ${WAITING}`);
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
    `UPDATE tasks SET queue_seq = (SELECT MIN(queue_seq) - 1 FROM tasks WHERE ${WAITING} AND client_id IS @client)
     WHERE id = @id AND ${WAITING}`,
  );
  const spent = db
    .prepare(`SELECT COALESCE(SUM(price_units), 0) FROM tasks WHERE created_at >= ? AND ${SPENDING}`)
    .pluck();
  const stateGet = db.prepare('SELECT value FROM queue_state WHERE key = ?').pluck();
  const stateSet = db.prepare(
    'INSERT INTO queue_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare('DELETE FROM tasks WHERE id = ?');
  // One prepared UPDATE per set of fields (a handful exist: create, tracker, archive), made on first use.
  const updates = new Map<string, Database.Statement>();
  const one = (row: unknown) => (row ? fromRow(row as Row) : undefined);

  return {
    insert(record) {
      insert.run(Object.fromEntries(FIELDS.map((f) => [f, toColumn(f, record[f])])));
    },
    transaction: (fn) => db.transaction(fn)(),
    get: (id) => one(byId.get(id)),
    getByExternalId: (ext) => one(byExternal.get(ext)),
    getByCallbackHash: (hash) => one(byHash.get(hash)),
    list({ page: p, pageSize, status }) {
      const offset = (p - 1) * pageSize;
      const rows = (
        status ? pageByStatus.all(status, pageSize, offset) : page.all(pageSize, offset)
      ) as Row[];
      const total = (status ? countByStatus.get(status) : count.get()) as number;
      return { records: rows.map(fromRow), total };
    },
    countRunning: () => running.get() as number,
    countUnfinished: () => unfinishedCount.get() as number,
    countConfirmedRunning: () => confirmedRunning.get() as number,
    countQueued: () => queuedCount.get() as number,
    listUnfinished: () => (unfinished.all() as Row[]).map(fromRow),
    markReady(id) {
      ready.run(id);
    },
    queueHeads: () => heads.all() as QueueHead[],
    rankInClient: (clientId, seq) => rank.get(clientId, seq) as number,
    claimForSending: (id, now) => claim.run(now, id).changes === 1,
    listInFlight: () => (inFlight.all() as Row[]).map(fromRow),
    listUnready: () => (unready.all() as Row[]).map(fromRow),
    cancel: (id, now, message) => cancelOne.run({ id, now, message }).changes === 1,
    moveToFront(id) {
      const row = byId.get(id) as Row | undefined;
      if (!row) return false;
      return front.run({ id, client: row.client_id ?? null }).changes === 1;
    },
    spentSince: (since) => spent.get(since) as number,
    readQueueState: (key) => stateGet.get(key) as string | undefined,
    writeQueueState(key, value) {
      stateSet.run(key, value);
    },
    update(id, patch) {
      const fields = (Object.keys(patch) as Field[]).filter((f) => f !== 'id' && f in COLUMNS);
      if (fields.length) {
        const key = fields.join(',');
        let statement = updates.get(key);
        if (!statement) {
          statement = db.prepare(
            `UPDATE tasks SET ${fields.map((f) => `${COLUMNS[f]} = @${f}`).join(', ')} WHERE id = @id`,
          );
          updates.set(key, statement);
        }
        const values: Record<string, unknown> = { id };
        for (const f of fields) values[f] = toColumn(f, patch[f as keyof typeof patch]);
        statement.run(values);
      }
      const updated = one(byId.get(id));
      if (!updated) throw new Error(`task ${id} vanished during update`);
      return updated;
    },
    delete(id) {
      remove.run(id);
    },
  };
}
