import { statfs } from 'node:fs/promises';
import { StudioError } from '../lib/studio-error.ts';

/**
 * A create is refused while DATA_DIR is nearly full: its inputs and, later, its video must fit, and a task
 * Kling bills whose video the studio cannot keep is money spent for nothing. The archive handles a full
 * disk too (it fails cleanly and says so); this keeps the studio from walking into it.
 */
export const DEFAULT_MIN_FREE_DISK_BYTES = 1024 ** 3;

/** One statfs per directory per second, however many creates arrive; concurrent ones share it. */
const CACHE_MS = 1000;
const cache = new Map<string, { at: number; free: Promise<number> }>();

function freeBytes(dir: string, now: number): Promise<number> {
  const hit = cache.get(dir);
  if (hit && now - hit.at < CACHE_MS) return hit.free;
  const free = statfs(dir).then((s) => s.bavail * s.bsize);
  cache.set(dir, { at: now, free });
  // A failed statfs is not remembered: the next create asks again.
  free.catch(() => {
    if (cache.get(dir)?.free === free) cache.delete(dir);
  });
  return free;
}

const gib = (bytes: number) => `${Number((bytes / 1024 ** 3).toFixed(bytes < 1024 ** 3 ? 2 : 1))} GiB`;

/** Throws a 507 when `dataDir` has less than `floorBytes` free (0: never). */
export async function checkDiskFloor(dataDir: string, floorBytes: number, now = Date.now()): Promise<void> {
  if (floorBytes <= 0) return;
  let free: number;
  try {
    free = await freeBytes(dataDir, now);
  } catch {
    // The free space cannot be told (an odd mount): let the create through; a full disk still fails cleanly.
    return;
  }
  if (free >= floorBytes) return;
  throw new StudioError(
    507,
    'insufficient_storage',
    `The studio's disk is nearly full: ${gib(free)} free in DATA_DIR, below the ${gib(floorBytes)} floor (MIN_FREE_DISK_BYTES). Nothing was sent to Kling; free some space and try again.`,
  );
}
