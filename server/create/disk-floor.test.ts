import { statfs } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { b64, png, tempDir, withStudio } from '../testing/studio-harness.ts';
import { checkDiskFloor, DEFAULT_MIN_FREE_DISK_BYTES } from './disk-floor.ts';

/**
 * Creates are refused with 507 while DATA_DIR has less free space than the floor (security review 2026-12,
 * finding 2): a task whose video cannot be kept is money spent for nothing, so nothing is stored or sent.
 */
const GiB = 1024 ** 3;
const freeIn = async (dir: string) => {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
};

describe('the disk floor setting', () => {
  it('defaults to 1 GiB; 0 turns it off', () => {
    expect(DEFAULT_MIN_FREE_DISK_BYTES).toBe(GiB);
    expect(loadConfig({}, '/srv').minFreeDiskBytes).toBe(GiB);
    expect(loadConfig({ MIN_FREE_DISK_BYTES: '0' }, '/srv').minFreeDiskBytes).toBe(0);
    expect(() => loadConfig({ MIN_FREE_DISK_BYTES: '-1' }, '/srv')).toThrow(/MIN_FREE_DISK_BYTES/);
  });

  it('passes below the free space, refuses above it, and is off at 0', async () => {
    const dir = tempDir('floor');
    const free = await freeIn(dir);
    await expect(checkDiskFloor(dir, 0)).resolves.toBeUndefined();
    await expect(checkDiskFloor(dir, Math.max(1, Math.floor(free / 4)))).resolves.toBeUndefined();
    const err = await checkDiskFloor(dir, free * 4 + GiB).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 507, code: 'insufficient_storage' });
    expect((err as Error).message).toMatch(/ GiB free in DATA_DIR, below the [\d.]+ GiB floor/);
  });
});

describe('POST /api/tasks with DATA_DIR below the floor', () => {
  // A floor no disk meets: 1 PiB.
  const ctx = withStudio({ env: { MIN_FREE_DISK_BYTES: String(1024 * 1024 * GiB) } });

  it('answers 507 insufficient_storage, stores nothing and sends nothing upstream', async () => {
    const res = await ctx.studio.create({ image: b64(await png(640, 360)), prompt: 'no room' });
    expect(res.status).toBe(507);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('insufficient_storage');
    expect(body.error.message).toMatch(/free in DATA_DIR, below the 1048576 GiB floor/);
    expect(await ctx.sim.requests()).toEqual([]);
    const list = (await (await ctx.studio.fetch('/api/tasks')).json()) as { tasks: unknown[] };
    expect(list.tasks).toEqual([]);
  });
});
