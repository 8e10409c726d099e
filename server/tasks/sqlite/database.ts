import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Schema changes, in order, each applied once inside a transaction and recorded in `migrations`.
 * Append only: a shipped migration is never edited, a new one is added.
 */
const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'tasks',
    sql: `
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        external_task_id TEXT NOT NULL UNIQUE,
        kling_task_id TEXT,
        status TEXT NOT NULL,
        status_message TEXT,
        model TEXT NOT NULL,
        mode TEXT,
        duration TEXT NOT NULL,
        motion TEXT NOT NULL,
        prompt TEXT NOT NULL,
        units TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        finished_at INTEGER,
        -- Set once Kling answered the create (or the task was found by external id): until then the
        -- tracker looks it up by external_task_id instead of re-sending it.
        confirmed_at INTEGER,
        result_url TEXT,
        result_duration TEXT,
        video_path TEXT,
        video_bytes INTEGER,
        video_duration TEXT,
        archived_at INTEGER,
        -- SHA-256 of the per-task callback token: the token itself is never stored.
        callback_token_hash TEXT UNIQUE,
        -- The create request with images replaced by references to files in inputs/<id>/.
        request_json TEXT NOT NULL,
        inputs_json TEXT NOT NULL,
        has_thumbnail INTEGER NOT NULL DEFAULT 0,
        client_id TEXT
      );
      CREATE INDEX tasks_created ON tasks (created_at DESC);
      CREATE INDEX tasks_status ON tasks (status, created_at DESC);
    `,
  },
  {
    version: 2,
    name: 'task kind',
    // Every task before motion control went to image2video.
    sql: `ALTER TABLE tasks ADD COLUMN kind TEXT NOT NULL DEFAULT 'image2video';`,
  },
  {
    version: 3,
    name: 'uploads',
    // Reference videos uploaded for motion control (the file is DATA_DIR/uploads/<id>.<format>), and which
    // tasks use each: an upload is kept while a task that claims it is unfinished. task_id has no foreign
    // key, so a claim may be written in any order with its task's row; a claim of no task holds nothing.
    sql: `
      CREATE TABLE uploads (
        id TEXT PRIMARY KEY,
        format TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        has_audio INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX uploads_created ON uploads (created_at);
      CREATE TABLE upload_claims (
        upload_id TEXT NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
        task_id TEXT NOT NULL,
        PRIMARY KEY (upload_id, task_id)
      );
      CREATE INDEX upload_claims_task ON upload_claims (task_id);
    `,
  },
  {
    version: 4,
    name: 'task reference video',
    // A motion-control task's reference video (file and facts, JSON); NULL for image2video.
    sql: 'ALTER TABLE tasks ADD COLUMN reference_json TEXT;',
  },
  {
    version: 5,
    name: 'queue',
    // The durable queue (server/queue): a task is accepted as `queued` and sent when Kling has a slot.
    // sent_at is written before the create call (a queued row with it is in flight, or was when the studio
    // died); queue_seq orders a client's queue and stays NULL until the task's inputs are stored;
    // price_units is what the daily budget sums. Tasks from before the queue were sent when created.
    // queue_state keeps what the dispatcher learned about Kling (its real concurrency) across restarts.
    sql: `
      ALTER TABLE tasks ADD COLUMN sent_at INTEGER;
      ALTER TABLE tasks ADD COLUMN queue_seq INTEGER;
      ALTER TABLE tasks ADD COLUMN price_units REAL;
      ALTER TABLE tasks ADD COLUMN batch_id TEXT;
      ALTER TABLE tasks ADD COLUMN batch_index INTEGER;
      ALTER TABLE tasks ADD COLUMN batch_size INTEGER;
      ALTER TABLE tasks ADD COLUMN upload_base TEXT;
      UPDATE tasks SET sent_at = created_at;
      CREATE INDEX tasks_queue ON tasks (status, client_id, queue_seq);
      CREATE INDEX tasks_batch ON tasks (batch_id) WHERE batch_id IS NOT NULL;
      CREATE TABLE queue_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 6,
    name: 'queue indexes',
    // With a thousand tasks queued, a create (its place, the next queue_seq) and the dispatcher (each
    // creator's first waiting task) read only these indexes, not the table.
    sql: `
      CREATE INDEX tasks_queue_seq ON tasks (queue_seq);
      CREATE INDEX tasks_waiting ON tasks (client_id, queue_seq, id)
        WHERE status = 'queued' AND sent_at IS NULL AND queue_seq IS NOT NULL;
    `,
  },
  {
    version: 7,
    name: 'cluster leases',
    // A replica's hold on a task's tracking (owner, expiry in ms, and an epoch that grows each time the
    // hold changes hands: writes are fenced by it), and on roles such as the queue's dispatcher. One
    // process on SQLite holds them all, but runs the same code as a cluster. History pages by keyset on
    // (created_at, rowid): the status index gains the order.
    sql: `
      ALTER TABLE tasks ADD COLUMN lease_owner TEXT;
      ALTER TABLE tasks ADD COLUMN lease_until INTEGER;
      ALTER TABLE tasks ADD COLUMN lease_epoch INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX tasks_unfinished_lease ON tasks (lease_until)
        WHERE status IN ('submitted', 'processing');
      CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, until INTEGER NOT NULL, epoch INTEGER NOT NULL);
    `,
  },
  {
    version: 8,
    name: 'catch-up index',
    // A replica that stopped hearing the others' announcements reads the tasks changed meanwhile, oldest
    // first by (updated_at, id) and in pages: each page is one range scan of this index, however many
    // tasks the table holds.
    sql: 'CREATE INDEX tasks_updated ON tasks (updated_at, id);',
  },
  {
    version: 9,
    name: 'queue order sequence',
    // PostgreSQL's version 9 gives queue places from a sequence, so replicas need no lock to take one;
    // one process keeps MAX(queue_seq) + 1 here. Recorded all the same: the two stores' versions stay one list.
    sql: 'SELECT 1;',
  },
  {
    version: 10,
    name: 'create admissions',
    // The per-client rate limit's creates, kept in the store (as PostgreSQL's version 10 does for a cluster):
    // a restart no longer gives every client a fresh minute. Only one window's rows are kept.
    sql: `
      CREATE TABLE create_admissions (peer TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX create_admissions_peer ON create_admissions (peer, at);
      CREATE INDEX create_admissions_at ON create_admissions (at);
    `,
  },
  {
    version: 11,
    name: 'queue turns',
    // The round-robin's turns, in the store: each send takes the next turn (MAX + 1 here; PostgreSQL's
    // version 11 a sequence), and a client's last turn is the largest on its tasks. Every replica, and a
    // sender that took over, then orders the queue alike; the dispatcher kept the turns in its memory.
    sql: `
      ALTER TABLE tasks ADD COLUMN served_seq INTEGER;
      CREATE INDEX tasks_served ON tasks (served_seq) WHERE served_seq IS NOT NULL;
      CREATE INDEX tasks_client_served ON tasks (client_id, served_seq) WHERE served_seq IS NOT NULL;
    `,
  },
];

export function migrate(db: Db): number[] {
  db.exec(
    'CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const done = new Set(db.prepare('SELECT version FROM migrations').pluck().all() as number[]);
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Date.now(),
      );
    })();
    applied.push(m.version);
  }
  return applied;
}

/** Opens (creating) DATA_DIR/studio.db in WAL mode, so reads never wait for the tracker's writes. */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'studio.db'));
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL survives a process kill (only an OS crash can lose the last commits).
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}
