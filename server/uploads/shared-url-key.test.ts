import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../tasks/sqlite/database.ts';
import { createSqliteTaskStore } from '../tasks/sqlite/sqlite-task-store.ts';
import { createUrlSigner, sharedUrlKey } from './url-signing.ts';

const dir = mkdtempSync(join(tmpdir(), 'shared-url-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the cluster’s upload-link key', () => {
  it('is made once in the store: replicas asking at once get the same key, and sign alike', async () => {
    const store = createSqliteTaskStore(openDatabase(dir));
    const [a, b, c] = await Promise.all([sharedUrlKey(store), sharedUrlKey(store), sharedUrlKey(store)]);
    expect(a).toHaveLength(32);
    expect(b.equals(a) && c.equals(a)).toBe(true);
    const one = createUrlSigner({ key: a });
    const other = createUrlSigner({ key: b });
    expect(other.verify('u1', 't1', one.sign('u1', 't1'))).toBe(true);
    // Kept: a replica started later reads it back.
    expect((await sharedUrlKey(store)).equals(a)).toBe(true);
    await store.close();
  });
});
