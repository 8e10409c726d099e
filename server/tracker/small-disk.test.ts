import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StudioTask, taskEnvelopeSchema } from '../../contract/schemas/studio-api.ts';
import { fakeRenderer, fakeVideoBytes } from '../simulator/test-support.ts';
import {
  b64,
  png,
  SIM_KEYS,
  type SimForStudio,
  startSimForStudio,
  tempDir,
} from '../testing/studio-harness.ts';
import { type StudioProcess, startStudioProcess } from '../testing/studio-process.ts';

/**
 * The review's reproduction of finding 2 (security review 2026-12) on a real, small file system: the studio
 * runs as its own process with DATA_DIR on an 8 MB tmpfs, is killed while a task is running, the disk is
 * filled, and the studio is started again. Before the fix, resuming that task hit ENOSPC in the archive and
 * the process died (on every restart). Now the task ends with the disk-full words, nothing `.partial` is
 * left, and the studio keeps serving. Mounting needs root; elsewhere the test is skipped and says why.
 */
const mountPoint = tempDir('small-disk');
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint], {
  encoding: 'utf8',
});
const canMount = mounted.status === 0;
if (!canMount)
  console.log(
    `small-disk test skipped: cannot mount a tmpfs here (${(mounted.stderr || mounted.error?.message || `exit ${mounted.status}`).trim()}); it needs root and mount(8)`,
  );

let sim: SimForStudio | undefined;
let studio: StudioProcess | undefined;
beforeAll(async () => {
  if (!canMount) return;
  // Videos of 3 MB: more than the disk will have left.
  sim = await startSimForStudio({
    phaseMs: 700,
    render: fakeRenderer({ bytes: fakeVideoBytes(3 * 1024 * 1024) }).render,
  });
});
afterAll(async () => {
  await studio?.kill();
  await sim?.close();
  if (canMount) spawnSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe('a full disk under a running studio', () => {
  it.skipIf(!canMount)(
    'fails the archive cleanly after a restart: disk-full words, no .partial, the process lives',
    async () => {
      const dataDir = join(mountPoint, 'data');
      mkdirSync(dataDir);
      const env = {
        DATA_DIR: dataDir,
        KLING_ACCESS_KEY: SIM_KEYS.accessKey,
        KLING_SECRET_KEY: SIM_KEYS.secretKey,
        KLING_BASE_URL: sim!.baseUrl,
        POLL_MIN_MS: '100',
        POLL_MAX_MS: '300',
        UPSTREAM_TIMEOUT_MS: '5000',
        // The disk is nearly full on purpose: the create floor would (rightly) refuse the create itself.
        MIN_FREE_DISK_BYTES: '0',
      };
      studio = await startStudioProcess(env);
      const res = await fetch(`${studio.url}/api/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ image: b64(await png(640, 360)), prompt: 'no room for this one' }),
      });
      expect(res.status).toBe(201);
      const { task } = taskEnvelopeSchema.parse(await res.json());
      // Killed while the task runs at Kling: wait for the queue to have sent it.
      const first = studio;
      await expect
        .poll(
          async () =>
            taskEnvelopeSchema.parse(await (await fetch(`${first.url}/api/tasks/${task.id}`)).json()).task
              .status,
          { timeout: 10_000, interval: 50 },
        )
        .not.toBe('queued');
      await studio.kill();

      // Leave 512 KB: enough for the database to note what happened, not for the video.
      const fs = await statfs(mountPoint);
      writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(Math.max(0, fs.bavail * fs.bsize - 512 * 1024)));

      studio = await startStudioProcess(env);
      const restarted = studio;
      let done: StudioTask | undefined;
      const until = Date.now() + 20_000;
      while (Date.now() < until) {
        const r = await fetch(`${restarted.url}/api/tasks/${task.id}`);
        const t = taskEnvelopeSchema.parse(await r.json()).task;
        if (t.finishedAt) {
          done = t;
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(done, restarted.output()).toBeDefined();
      expect(done?.statusMessage).toMatch(/the video could not be saved: disk full/);
      expect(done?.video).toBeFalsy();
      expect(restarted.child.exitCode).toBeNull();
      expect((await fetch(`${restarted.url}/api/health`)).status).toBe(200);
      const videos = join(dataDir, 'videos');
      expect(existsSync(videos) ? readdirSync(videos).filter((f) => f.endsWith('.partial')) : []).toEqual([]);
      expect(restarted.output()).not.toMatch(/Unhandled 'error' event|uncaught/i);
    },
    40_000,
  );
});
