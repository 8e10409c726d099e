import pg from 'pg';

/** One statement on a pool or on a transaction's client: the store's SQL runs on either alike. */
export type Query = <R extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  values?: unknown[],
) => Promise<pg.QueryResult<R>>;

const INT8 = 20;
/**
 * int8 columns (ms timestamps, byte counts, COUNT(*)) come back as JS numbers, as SQLite gives them: every
 * value the studio stores is far below 2^53. Per pool, never `pg.types.setTypeParser`, which would change
 * every other pg user in the process.
 */
const studioTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export function createPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: studioTypes,
    application_name: 'motion-studio',
    // A create waits for a connection rather than failing at once under a burst, but not forever.
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection that the server dropped (restart, failover) is an 'error' event with no listener
  // otherwise, which would end the process; the pool replaces it and the next query says what is wrong.
  pool.on('error', () => {});
  return pool;
}

export const queryOn =
  (on: pg.Pool | pg.ClientBase): Query =>
  (text, values) =>
    on.query(text, values);

/**
 * Runs `fn` in one transaction on one pooled client. With `lockKey`, the transaction first takes that
 * advisory lock, held until it ends: transactions that take the same key run one at a time across every
 * replica sharing the database.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  fn: (q: Query) => Promise<T>,
  lockKey?: number,
): Promise<T> {
  const client = await pool.connect();
  // A client whose ROLLBACK failed is in an unknown state: it is destroyed rather than reused.
  let broken: Error | undefined;
  try {
    await client.query(lockKey === undefined ? 'BEGIN' : beginLocked(lockKey));
    const value = await fn(queryOn(client));
    await client.query('COMMIT');
    return value;
  } catch (e) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError as Error;
    }
    throw e;
  } finally {
    client.release(broken);
  }
}

/**
 * BEGIN and the lock in one round trip (a simple query of two statements; the transaction it opens stays
 * open after it): while the lock is held every round trip is one that all replicas' transactions wait on.
 * The key is inlined (a simple query takes no parameters), so it must be a plain integer.
 */
function beginLocked(lockKey: number): string {
  if (!Number.isSafeInteger(lockKey)) throw new Error(`advisory lock key ${lockKey} is not an integer`);
  return `BEGIN; SELECT pg_advisory_xact_lock(${lockKey})`;
}

/** The PostgreSQL error code of a driver error (23505 unique, 23503 foreign key), if it is one. */
export const pgCode = (e: unknown): string | undefined =>
  e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
export const pgConstraint = (e: unknown): string | undefined =>
  e instanceof Error && 'constraint' in e && typeof e.constraint === 'string' ? e.constraint : undefined;
