import {
  type StoredInputs,
  type StoredReference,
  storedInputsSchema,
  storedReferenceSchema,
} from '../inputs/stored-inputs.ts';
import type { TaskRecord } from './task-record.ts';
import type { UploadRow } from './task-store.ts';

/**
 * The columns behind each record field, the same in SQLite and PostgreSQL; JSON fields are (de)serialised
 * here and nowhere else, so both stores read and write a record alike.
 */
export const COLUMNS = {
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

export type Field = keyof typeof COLUMNS;
export type Row = Record<(typeof COLUMNS)[Field], unknown>;
export const FIELDS = Object.keys(COLUMNS) as Field[];

export function toColumn(field: Field, value: unknown): unknown {
  if (field === 'request' || field === 'inputs') return JSON.stringify(value);
  if (field === 'reference') return value ? JSON.stringify(value) : null;
  if (field === 'hasThumbnail') return value ? 1 : 0;
  return value;
}

export function fromRow(row: Row): TaskRecord {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) out[f] = row[COLUMNS[f]];
  // The request is the body of the task kind's endpoint; the kind column says which (TaskRecord's union).
  out.request = JSON.parse(row.request_json as string) as TaskRecord['request'];
  out.inputs = storedInputsSchema.parse(JSON.parse(row.inputs_json as string)) satisfies StoredInputs;
  out.reference =
    typeof row.reference_json === 'string'
      ? (storedReferenceSchema.parse(JSON.parse(row.reference_json)) satisfies StoredReference)
      : null;
  out.hasThumbnail = row.has_thumbnail === 1 || row.has_thumbnail === true;
  return out as TaskRecord;
}

/** The fields of a patch that are columns, and their column values. */
export function patchColumns(patch: Partial<Omit<TaskRecord, 'id'>>): { fields: Field[]; values: unknown[] } {
  const fields = (Object.keys(patch) as Field[]).filter((f) => f !== 'id' && f in COLUMNS);
  const values = patch as Record<string, unknown>;
  return { fields, values: fields.map((f) => toColumn(f, values[f])) };
}

/** An `uploads` row as both databases hold it: the flag is 0/1 in each (PostgreSQL's column is int too). */
export interface UploadColumns {
  id: string;
  format: UploadRow['format'];
  bytes: number;
  width: number;
  height: number;
  duration_ms: number;
  has_audio: number;
  created_at: number;
}

/** The `uploads` columns in the order an insert lists them. */
export const UPLOAD_COLUMNS = [
  'id',
  'format',
  'bytes',
  'width',
  'height',
  'duration_ms',
  'has_audio',
  'created_at',
] as const satisfies readonly (keyof UploadColumns)[];

export const uploadToColumns = (u: UploadRow): UploadColumns => ({
  id: u.id,
  format: u.format,
  bytes: u.bytes,
  width: u.width,
  height: u.height,
  duration_ms: u.durationMs,
  has_audio: u.hasAudio ? 1 : 0,
  created_at: u.createdAt,
});

export const uploadFromColumns = (r: UploadColumns): UploadRow => ({
  id: r.id,
  format: r.format,
  bytes: r.bytes,
  width: r.width,
  height: r.height,
  durationMs: r.duration_ms,
  hasAudio: r.has_audio === 1,
  createdAt: r.created_at,
});

/**
 * A queued task is "waiting" when it is whole (queue_seq set) and not in flight (no sent_at). The
 * conditions are constants of this file, written into the SQL as is.
 */
export const WAITING = `status = 'queued' AND sent_at IS NULL AND queue_seq IS NOT NULL`;
/**
 * What today's budget counts: queued tasks (they will be sent) and every task Kling took. A task that
 * ended without Kling creating it (refused, never confirmed, cancelled) cost nothing.
 */
export const SPENDING = `(status IN ('queued', 'submitted', 'processing', 'succeed') OR (status = 'failed' AND kling_task_id IS NOT NULL))`;
/** Holds one of Kling's slots: what the tracker leases. */
export const RUNNING = `status IN ('submitted', 'processing')`;
