/**
 * Test support (not a test): task rows written straight into the tasks table, with only the columns the
 * upload store reads (id, status). Written as SQL rather than through the task store, so these tests do not
 * depend on every field a TaskRecord carries.
 */
import type { Db } from '../tasks/sqlite/database.ts';

export function insertTaskRow(db: Db, id: string, status: string): void {
  const now = Date.now();
  db.prepare(
    `INSERT INTO tasks (id, external_task_id, status, model, duration, motion, prompt, created_at, updated_at,
       request_json, inputs_json, kind)
     VALUES (?, ?, ?, 'kling-v2-6', '5', 'reference', '', ?, ?, '{}', '{}', 'motion-control')`,
  ).run(id, `ext-${id}`, status, now, now);
}

export function setTaskStatus(db: Db, id: string, status: string): void {
  db.prepare('UPDATE tasks SET status = ? WHERE id = ?').run(status, id);
}
