import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkDir, sweepOrphanedWorkDirs } from './work-dir.ts';

let parent: string;
/** The pid of a process that has certainly exited. */
let deadPid: number;

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'work-dir-test-'));
  deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
});

afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

describe('render scratch directories', () => {
  it('removes directories of dead processes and keeps live ones and strangers', async () => {
    await mkdir(join(parent, `motion-render-${deadPid}-abc`));
    await mkdir(join(parent, `motion-render-${process.pid}-def`));
    await mkdir(join(parent, 'motion-render-legacy'));
    await mkdir(join(parent, 'someone-else'));
    expect(await sweepOrphanedWorkDirs(parent)).toBe(1);
    expect((await readdir(parent)).sort()).toEqual(
      [`motion-render-${process.pid}-def`, 'motion-render-legacy', 'someone-else'].sort(),
    );
  });

  it('names a new directory after its owner', async () => {
    const dir = await createWorkDir(parent);
    expect(dir.startsWith(join(parent, `motion-render-${process.pid}-`))).toBe(true);
  });

  it('never throws, even for a missing parent', async () => {
    expect(await sweepOrphanedWorkDirs(join(parent, 'missing'))).toBe(0);
  });
});
