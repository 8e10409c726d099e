import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/studio-harness.ts';
import { createDownloadCache, type DownloadCache } from './download-cache.ts';

let clock = 0;
let cache: DownloadCache;
let dir: string;
let downloads: string[];

function make(maxBytes: number, idleMs = 60_000) {
  dir = join(tempDir('cache'), 'cache');
  downloads = [];
  clock = 1000;
  cache = createDownloadCache({ dir, maxBytes, idleMs, now: () => clock });
  return cache;
}

/** A "download" of `bytes` bytes of `key`, counted. */
const fetcher = (key: string, bytes: number) => async (dest: string) => {
  downloads.push(key);
  writeFileSync(dest, Buffer.alloc(bytes, key));
};

const read = (key: string, bytes = 10, etag = 'v1') =>
  cache.use(key, { etag }, fetcher(key, bytes), async (path) => readFileSync(path).length);

afterEach(async () => {
  await cache.close();
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('download cache', () => {
  it('downloads a version once, however many ask at the same time', async () => {
    make(1000);
    const sizes = await Promise.all([read('a'), read('a'), read('a')]);
    expect(sizes).toEqual([10, 10, 10]);
    await read('a');
    expect(downloads).toEqual(['a']);
  });

  it('downloads again when the object changed (another ETag)', async () => {
    make(1000);
    await read('a', 10, 'v1');
    await read('a', 12, 'v2');
    expect(downloads).toEqual(['a', 'a']);
    expect(cache.usage()).toEqual({ entries: 1, bytes: 12 });
  });

  it('stays within its bytes by removing the least recently used copies', async () => {
    make(25);
    await read('a');
    clock++;
    await read('b');
    clock++;
    await read('a');
    clock++;
    await read('c');
    // a was used after b: b goes.
    expect(cache.usage()).toEqual({ entries: 2, bytes: 20 });
    await read('a');
    await read('b');
    expect(downloads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('never removes a copy while it is read, and removes it once it is done when over the bound', async () => {
    make(15);
    let pathSeen = '';
    await cache.use('big', { etag: 'v1' }, fetcher('big', 20), async (path) => {
      pathSeen = path;
      await read('small', 10);
      expect(existsSync(path)).toBe(true);
    });
    expect(existsSync(pathSeen)).toBe(false);
    expect(cache.usage().bytes).toBeLessThanOrEqual(15);
  });

  it('removes copies unused for idleMs, and forgets a key on request', async () => {
    make(1000, 60_000);
    await read('old');
    clock += 30_000;
    await read('recent');
    await read('gone');
    cache.forget('gone');
    clock += 40_000;
    cache.sweepIdle();
    expect(cache.usage()).toEqual({ entries: 1, bytes: 10 });
    expect(readdirSync(join(dir, 'objects'))).toHaveLength(1);
  });

  it('adopts a staged file as the copy, without a download', async () => {
    make(1000);
    const staged = await cache.stagingPath();
    writeFileSync(staged, 'just uploaded');
    await cache.adopt('v', { etag: 'e1' }, staged);
    const text = await cache.use('v', { etag: 'e1' }, fetcher('v', 1), async (p) => readFileSync(p, 'utf8'));
    expect(text).toBe('just uploaded');
    expect(downloads).toEqual([]);
  });

  it('starts empty: what an earlier run left is removed', async () => {
    make(1000);
    await read('a');
    const again = createDownloadCache({ dir, maxBytes: 1000, idleMs: 1000 });
    expect(readdirSync(join(dir, 'objects'))).toEqual([]);
    await again.close();
  });

  it('keeps nothing of a failed download', async () => {
    make(1000);
    const failing = async (dest: string) => {
      writeFileSync(dest, 'half');
      throw new Error('connection reset');
    };
    await expect(cache.use('x', { etag: 'v1' }, failing, async () => 1)).rejects.toThrow('connection reset');
    expect(readdirSync(join(dir, 'objects'))).toEqual([]);
    expect(await read('x')).toBe(10);
  });
});
