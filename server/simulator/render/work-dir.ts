/**
 * Scratch directories for a render's raw inputs. A render cleans up after itself, but a process that
 * is killed mid-render (a test runner tearing down workers, a crash) cannot, so each directory carries
 * its owner's pid and the first render of every process removes those whose owner is gone.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'motion-render-';
const OWNED = /^motion-render-(\d+)-/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes scratch directories left by processes that no longer exist; never throws. */
export async function sweepOrphanedWorkDirs(parent = tmpdir()): Promise<number> {
  let removed = 0;
  try {
    for (const name of await readdir(parent)) {
      const owner = OWNED.exec(name)?.[1];
      if (owner === undefined || Number(owner) === process.pid || isAlive(Number(owner))) continue;
      await rm(join(parent, name), { recursive: true, force: true });
      removed++;
    }
  } catch {
    // Best effort: a sweep that fails must never fail a render.
  }
  return removed;
}

let swept: Promise<number> | undefined;

/** A fresh scratch directory for one render; the caller removes it when done. */
export async function createWorkDir(parent = tmpdir()): Promise<string> {
  swept ??= sweepOrphanedWorkDirs(parent);
  await swept;
  return mkdtemp(join(parent, `${PREFIX}${process.pid}-`));
}
