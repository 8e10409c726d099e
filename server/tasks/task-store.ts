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

export const UNFINISHED: readonly TaskStatus[] = ['submitted', 'processing'];

export interface TaskStore {
  insert(record: TaskRecord): void;
  get(id: string): TaskRecord | undefined;
  getByExternalId(externalTaskId: string): TaskRecord | undefined;
  getByCallbackHash(hash: string): TaskRecord | undefined;
  /** Newest first. */
  list(q: { page: number; pageSize: number; status?: TaskStatus }): { records: TaskRecord[]; total: number };
  countRunning(): number;
  listUnfinished(): TaskRecord[];
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
  const remove = db.prepare('DELETE FROM tasks WHERE id = ?');
  // One prepared UPDATE per set of fields (a handful exist: create, tracker, archive), made on first use.
  const updates = new Map<string, Database.Statement>();
  const one = (row: unknown) => (row ? fromRow(row as Row) : undefined);

  return {
    insert(record) {
      insert.run(Object.fromEntries(FIELDS.map((f) => [f, toColumn(f, record[f])])));
    },
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
    listUnfinished: () => (unfinished.all() as Row[]).map(fromRow),
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
