import type pg from 'pg';

/**
 * The PostgreSQL schema: the same versions, tables and column names as SQLite's (sqlite/database.ts), so
 * a row means the same in both stores. Differences are only of type: ms timestamps and byte counts are
 * BIGINT (the pool reads int8 back as a JS number), booleans stay INTEGER 0/1 as in SQLite, JSON stays
 * TEXT (the stores compare and parse it as written), and insertion order is an identity column `seq`
 * where SQLite has its rowid. Append only: a shipped migration is never edited, a new one is added.
 */
export const PG_MIGRATIONS: { version: number; name: string; sql: string }[] = [
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
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        finished_at BIGINT,
        confirmed_at BIGINT,
        result_url TEXT,
        result_duration TEXT,
        video_path TEXT,
        video_bytes BIGINT,
        video_duration TEXT,
        archived_at BIGINT,
        callback_token_hash TEXT UNIQUE,
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
    sql: `ALTER TABLE tasks ADD COLUMN kind TEXT NOT NULL DEFAULT 'image2video';`,
  },
  {
    version: 3,
    name: 'uploads',
    // task_id has no foreign key, as in SQLite: a claim may be written in any order with its task's row.
    sql: `
      CREATE TABLE uploads (
        id TEXT PRIMARY KEY,
        format TEXT NOT NULL,
        bytes BIGINT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        duration_ms BIGINT NOT NULL,
        has_audio INTEGER NOT NULL,
        created_at BIGINT NOT NULL
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
    sql: 'ALTER TABLE tasks ADD COLUMN reference_json TEXT;',
  },
  {
    version: 5,
    name: 'queue',
    sql: `
      ALTER TABLE tasks ADD COLUMN sent_at BIGINT;
      ALTER TABLE tasks ADD COLUMN queue_seq BIGINT;
      ALTER TABLE tasks ADD COLUMN price_units DOUBLE PRECISION;
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
    sql: `
      CREATE INDEX tasks_queue_seq ON tasks (queue_seq);
      CREATE INDEX tasks_waiting ON tasks (client_id, queue_seq, id)
        WHERE status = 'queued' AND sent_at IS NULL AND queue_seq IS NOT NULL;
    `,
  },
  {
    version: 7,
    name: 'cluster leases',
    // Leases as in SQLite's version 7. `seq` is the insertion order SQLite keeps in its rowid: the history
    // pages by keyset on (created_at, seq), and these two indexes answer any page of it (with or without a
    // status) by one range scan. They replace version 1's, which SQLite keeps because its indexes carry the
    // rowid already; left here, the planner reads those and sorts, filtering a rare status row by row.
    sql: `
      ALTER TABLE tasks ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;
      CREATE INDEX tasks_created_seq ON tasks (created_at DESC, seq DESC);
      CREATE INDEX tasks_status_created_seq ON tasks (status, created_at DESC, seq DESC);
      DROP INDEX tasks_created;
      DROP INDEX tasks_status;
      ALTER TABLE tasks ADD COLUMN lease_owner TEXT;
      ALTER TABLE tasks ADD COLUMN lease_until BIGINT;
      ALTER TABLE tasks ADD COLUMN lease_epoch INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX tasks_unfinished_lease ON tasks (lease_until)
        WHERE status IN ('submitted', 'processing');
      CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, until BIGINT NOT NULL, epoch INTEGER NOT NULL);
    `,
  },
  {
    version: 8,
    name: 'catch-up index',
    // As SQLite's version 8: each page of the catch-up read is one range scan. The id is ordered byte by
    // byte ("C"), as SQLite compares text, so both stores page ties on updated_at in the same order
    // whatever the database's locale; the store's queries name the same collation, or the index is unused.
    sql: 'CREATE INDEX tasks_updated ON tasks (updated_at, id COLLATE "C");',
  },
  {
    version: 9,
    name: 'queue order sequence',
    // markReady takes the next place from a sequence instead of MAX(queue_seq) + 1 under the store's
    // transaction lock, so a task becoming whole waits for no other replica's create. It starts above every
    // place given so far (and at 1 at least, a sequence's floor, when moves to the front left only places
    // below 1); moveToFront's places (MIN - 1) stay below it. SQLite keeps MAX + 1: one process.
    sql: `
      CREATE SEQUENCE tasks_queue_order AS BIGINT;
      SELECT setval('tasks_queue_order', GREATEST(COALESCE((SELECT MAX(queue_seq) FROM tasks), 0) + 1, 1), false);
    `,
  },
  {
    version: 10,
    name: 'create admissions',
    // The per-client rate limit counted for the whole cluster: each admitted create is a row, written in the
    // transaction that admits it (under the store's lock), so replicas count one another's creates. Only one
    // window's rows are kept.
    sql: `
      CREATE TABLE create_admissions (peer TEXT NOT NULL, at BIGINT NOT NULL);
      CREATE INDEX create_admissions_peer ON create_admissions (peer, at);
      CREATE INDEX create_admissions_at ON create_admissions (at);
    `,
  },
  {
    version: 11,
    name: 'queue turns',
    // As SQLite's version 11: each send takes the next turn, here from a sequence (no lock, whichever
    // replica sends), and a client's last turn is the largest on its tasks, one index step per client. The
    // index is on the client as the queue names it (none is ''): on client_id itself, IS NULL gives no order
    // to step in, and a client-less queue read every such task it had sent.
    sql: `
      ALTER TABLE tasks ADD COLUMN served_seq BIGINT;
      CREATE SEQUENCE tasks_served_order AS BIGINT;
      CREATE INDEX tasks_client_served ON tasks ((COALESCE(client_id, '')), served_seq) WHERE served_seq IS NOT NULL;
    `,
  },
];

/**
 * Session advisory lock held while migrating: replicas starting together queue on it, and each one after
 * the first finds the versions recorded and applies nothing. The constant is this schema's own ("mig" +
 * 1), distinct from the store's transaction lock.
 */
export const MIGRATION_LOCK = 0x6d696701;

/** Applies the versions not yet recorded, each in its own transaction; answers those it applied. */
export async function migratePostgres(client: pg.ClientBase, now = Date.now): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM migrations')).rows.map((r) => r.version),
    );
    const applied: number[] = [];
    for (const m of PG_MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          now(),
        ]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
