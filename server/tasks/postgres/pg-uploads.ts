import { notFound } from '../../lib/studio-error.ts';
import { UPLOAD_COLUMNS, type UploadColumns, uploadFromColumns, uploadToColumns } from '../task-columns.ts';
import type { UploadRows } from '../task-store.ts';
import { pgCode, type Query } from './pg-pool.ts';

/**
 * Kling may fetch a reference only while it works on the task: once it has been sent, until it ends. A
 * queued task with `sent_at` is being sent right now (Kling fetches the reference during the create).
 * The same rule as SQLite's upload rows; the lists are constants, written into the SQL as is.
 */
const SERVABLE = `(t.status IN ('submitted', 'processing') OR (t.status = 'queued' AND t.sent_at IS NOT NULL))`;
/** A task in any other status no longer needs its reference. */
const FINISHED = `('succeed', 'failed', 'cancelled')`;

const INSERT_SQL = `INSERT INTO uploads (${UPLOAD_COLUMNS.join(', ')})
  VALUES (${UPLOAD_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;

/** `atomic` runs its function in one transaction (its own, or the one already open). */
export function pgUploadRows(q: Query, atomic: <T>(fn: (q: Query) => Promise<T>) => Promise<T>): UploadRows {
  return {
    async insert(row) {
      const columns = uploadToColumns(row);
      await q(
        INSERT_SQL,
        UPLOAD_COLUMNS.map((c) => columns[c]),
      );
    },
    async get(id) {
      const { rows } = await q<UploadColumns>('SELECT * FROM uploads WHERE id = $1', [id]);
      return rows[0] ? uploadFromColumns(rows[0]) : undefined;
    },
    async allIds() {
      const { rows } = await q<{ id: string }>('SELECT id FROM uploads');
      return rows.map((r) => r.id);
    },
    async claim(uploadId, taskId) {
      try {
        await q('INSERT INTO upload_claims (upload_id, task_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
          uploadId,
          taskId,
        ]);
      } catch (e) {
        if (pgCode(e) === '23503') throw notFound('upload');
        throw e;
      }
    },
    async claimedByServable(uploadId, taskId) {
      const { rows } = await q(
        `SELECT 1 FROM upload_claims c JOIN tasks t ON t.id = c.task_id
         WHERE c.upload_id = $1 AND c.task_id = $2 AND ${SERVABLE}`,
        [uploadId, taskId],
      );
      return rows.length > 0;
    },
    removeExpired: (cutoff) =>
      atomic(async (tx) => {
        // Lock the old uploads first, then judge their claims in a later statement: a claim being written
        // right now holds its upload's row (foreign key) until it commits, so the lock waits for it and the
        // judgement sees it. Judged in the same statement as the lock, it would read a snapshot from before
        // that claim, and the delete would cascade over the claim of a task that still needs the file.
        const locked = await tx<{ id: string }>(
          'SELECT id FROM uploads WHERE created_at < $1 ORDER BY id FOR UPDATE',
          [cutoff],
        );
        if (!locked.rows.length) return [];
        const { rows } = await tx<Pick<UploadColumns, 'id' | 'format'>>(
          `DELETE FROM uploads u WHERE u.id = ANY($1::text[]) AND NOT EXISTS (
             SELECT 1 FROM upload_claims c JOIN tasks t ON t.id = c.task_id
             WHERE c.upload_id = u.id AND t.status NOT IN ${FINISHED})
           RETURNING u.id, u.format`,
          [locked.rows.map((r) => r.id)],
        );
        return rows;
      }),
  };
}
