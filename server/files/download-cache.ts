import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Which version of an object a cached copy holds: the store's ETag. */
export interface ObjectVersion {
  etag: string;
}

interface Entry {
  key: string;
  etag: string;
  path: string;
  size: number;
  lastUsed: number;
  /** Callers inside `use` right now: a pinned file is never removed under them. */
  pins: number;
  /** Replaced or dropped while pinned: removed once the last caller is done. */
  dropped: boolean;
}

interface Download {
  entry: Promise<Entry>;
  /** Callers waiting for it: each gets a pin when it lands. */
  waiters: { count: number };
}

export interface DownloadCache {
  /**
   * Runs `fn` with a local copy of `key` at `version`: the cached one when it is that version, else a fresh
   * download (one at a time per version, however many callers wait for it).
   */
  use<T>(
    key: string,
    version: ObjectVersion,
    download: (dest: string) => Promise<void>,
    fn: (path: string) => Promise<T>,
  ): Promise<T>;
  /** Takes a file just written to the store as the cached copy of `key` (so it is not downloaded back). */
  adopt(key: string, version: ObjectVersion, path: string): Promise<void>;
  /** The key changed or is gone: its copy must not be used again. */
  forget(key: string): void;
  /** A fresh path for a file on its way into the store (see FileStorage.stagingPath). */
  stagingPath(): Promise<string>;
  /** Removes copies unused for `idleMs` (a timer calls it; so may a test). */
  sweepIdle(): void;
  /** What is held, for tests and health. */
  usage(): { entries: number; bytes: number };
  close(): Promise<void>;
}

/**
 * Local copies of objects, for tools that need a file (ffmpeg for posters, the upload judge) and for files
 * just put (a video's poster is made from the archive's own download). Design:
 * - It lives in DATA_DIR/cache and is emptied at start: a copy from an earlier run may be half written,
 *   and an empty cache costs only downloads. Files on their way into the store are staged there too.
 * - Bounded by bytes: past `maxBytes` the least recently used copies go (never one in use: a copy may
 *   be over the bound while ffmpeg reads it, and goes when it is done).
 * - Stale copies go: one unused for `idleMs` is removed by an unref'd timer; and every use names the
 *   version (the ETag, from a HEAD the caller makes), so a key rewritten by another replica is downloaded
 *   again rather than served from an old copy.
 */
export function createDownloadCache(opts: {
  dir: string;
  maxBytes: number;
  idleMs: number;
  now?: () => number;
}): DownloadCache {
  const now = opts.now ?? Date.now;
  const objectsDir = join(opts.dir, 'objects');
  const stagingDir = join(opts.dir, 'staging');
  // Synchronous: the cache is made while the services are built, before any request can use it.
  rmSync(opts.dir, { recursive: true, force: true });
  mkdirSync(objectsDir, { recursive: true });
  mkdirSync(stagingDir, { recursive: true });

  const entries = new Map<string, Entry>();
  const downloads = new Map<string, Download>();
  let bytes = 0;

  // Synchronous: one unlink, and the bytes counted are then the bytes on disk.
  const removeFile = (entry: Entry) => {
    bytes -= entry.size;
    try {
      rmSync(entry.path, { force: true });
    } catch {
      // Already gone, or a disk error: nothing more to do about this copy.
    }
  };

  /** Out of the map now; its file goes at once unless someone is reading it. */
  const drop = (entry: Entry) => {
    if (entries.get(entry.key) === entry) entries.delete(entry.key);
    if (entry.dropped) return;
    entry.dropped = true;
    if (entry.pins === 0) removeFile(entry);
  };

  const add = (entry: Entry) => {
    const old = entries.get(entry.key);
    if (old) drop(old);
    entries.set(entry.key, entry);
    bytes += entry.size;
  };

  const evict = () => {
    if (bytes <= opts.maxBytes) return;
    const idle = [...entries.values()].filter((e) => e.pins === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of idle) {
      if (bytes <= opts.maxBytes) break;
      drop(entry);
    }
  };

  const sweepIdle = () => {
    const cutoff = now() - opts.idleMs;
    for (const entry of [...entries.values()]) if (entry.pins === 0 && entry.lastUsed < cutoff) drop(entry);
  };
  const timer = setInterval(sweepIdle, Math.max(1000, Math.floor(opts.idleMs / 2)));
  timer.unref();

  const freshPath = () => join(objectsDir, randomUUID());

  /**
   * The entry, already pinned for this caller: everyone waiting for a download holds a pin from the moment
   * it lands, so an eviction in between cannot remove it before they read it.
   */
  function fetchPinned(key: string, version: ObjectVersion, download: (dest: string) => Promise<void>) {
    const id = `${key}\0${version.etag}`;
    let job = downloads.get(id);
    if (!job) {
      const waiters = { count: 0 };
      const entry = (async () => {
        const path = freshPath();
        const partial = `${path}.partial`;
        try {
          await download(partial);
          await rename(partial, path);
        } catch (e) {
          await rm(partial, { force: true }).catch(() => {});
          throw e;
        }
        const size = (await stat(path)).size;
        const landed: Entry = {
          key,
          etag: version.etag,
          path,
          size,
          lastUsed: now(),
          pins: 0,
          dropped: false,
        };
        add(landed);
        landed.pins = waiters.count;
        return landed;
      })().finally(() => downloads.delete(id));
      job = { entry, waiters };
      downloads.set(id, job);
    }
    job.waiters.count++;
    return job.entry;
  }

  return {
    async use(key, version, download, fn) {
      let entry = entries.get(key);
      if (entry && entry.etag !== version.etag) {
        drop(entry);
        entry = undefined;
      }
      if (entry) entry.pins++;
      else entry = await fetchPinned(key, version, download);
      entry.lastUsed = now();
      try {
        return await fn(entry.path);
      } finally {
        entry.pins--;
        entry.lastUsed = now();
        if (entry.dropped && entry.pins === 0) removeFile(entry);
        evict();
      }
    },

    async adopt(key, version, path) {
      const dest = freshPath();
      await rename(path, dest);
      add({
        key,
        etag: version.etag,
        path: dest,
        size: (await stat(dest)).size,
        lastUsed: now(),
        pins: 0,
        dropped: false,
      });
      evict();
    },

    forget(key) {
      const entry = entries.get(key);
      if (entry) drop(entry);
    },

    async stagingPath() {
      await mkdir(stagingDir, { recursive: true });
      return join(stagingDir, `${randomUUID()}.partial`);
    },

    sweepIdle,

    usage: () => ({ entries: entries.size, bytes }),

    async close() {
      clearInterval(timer);
      entries.clear();
      await rm(opts.dir, { recursive: true, force: true });
    },
  };
}
