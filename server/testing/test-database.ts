import { createDatabase } from './postgres.ts';

/**
 * Test support (not a test): studios on PostgreSQL instead of SQLite, for a file that runs other files'
 * tests on it unchanged (server/cluster/single-process-on-postgres.test.ts). Once
 * `usePostgresForStudios(url)` is called, every studio the harness starts (in-process or as a process)
 * without a DATABASE_URL of its own gets a database on that cluster — one per DATA_DIR, as SQLite has one
 * file per DATA_DIR, so a studio started again on the same DATA_DIR finds its tasks again and two studios
 * in one file do not see each other's.
 */
let clusterUrl: string | undefined;
const byDataDir = new Map<string, Promise<string>>();
let made = 0;

export function usePostgresForStudios(url: string | undefined): void {
  clusterUrl = url;
  byDataDir.clear();
}

/** The database for a DATA_DIR (made on first use), or undefined when studios run on SQLite. */
export function databaseForDataDir(dataDir: string): Promise<string> | undefined {
  if (!clusterUrl) return undefined;
  let db = byDataDir.get(dataDir);
  if (!db) {
    made++;
    db = createDatabase(clusterUrl, `studio_dir_${made}`);
    byDataDir.set(dataDir, db);
  }
  return db;
}

/** Whether studios started now run on PostgreSQL (a file re-running other files' tests there). */
export const onPostgres = (): boolean => clusterUrl !== undefined;
