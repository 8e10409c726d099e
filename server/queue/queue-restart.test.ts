import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  queueStateSchema,
  type StudioTask,
  taskEnvelopeSchema,
  taskListSchema,
} from '../../contract/schemas/studio-api.ts';
import { b64, png, SIM_KEYS, tempDir, waitForTask, withSim } from '../testing/studio-harness.ts';
import { type StudioProcess, startStudioProcess } from '../testing/studio-process.ts';

/**
 * The queue survives kill -9: the studio (its own process) holds 6 queued tasks and 2 running at a Kling
 * that runs 2 at once when it is killed, and is started again on the same DATA_DIR. The queued ones are
 * still queued and go out once each; all 8 finish with archived videos, each created upstream exactly once,
 * and the limit learned before the crash is kept (no second 1303 probe).
 */
const ctx = withSim({ concurrency: 2, phaseMs: 1500 });
let dataDir: string;
let studio: StudioProcess | undefined;

beforeAll(() => {
  dataDir = tempDir('queue-restart');
});
afterAll(async () => {
  await studio?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

const env = () => ({
  DATA_DIR: dataDir,
  KLING_ACCESS_KEY: SIM_KEYS.accessKey,
  KLING_SECRET_KEY: SIM_KEYS.secretKey,
  KLING_BASE_URL: ctx.sim.baseUrl,
  POLL_MIN_MS: '100',
  POLL_MAX_MS: '300',
  UPSTREAM_TIMEOUT_MS: '5000',
});

describe('kill -9 with 6 queued and 2 running', () => {
  it('after the restart all 8 finish, each sent to Kling exactly once', async () => {
    studio = await startStudioProcess(env());
    const first = studio;
    const image = b64(await png(640, 360));
    const created: StudioTask[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${first.url}/api/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-studio-client': i % 2 ? 'bob' : 'alice' },
        body: JSON.stringify({ image, prompt: `queued through a crash ${i}` }),
      });
      expect(res.status).toBe(201);
      created.push(taskEnvelopeSchema.parse(await res.json()).task);
    }
    // Kill once Kling runs two, the probe has learned that, and six wait (none in flight).
    await vi.waitFor(
      async () => {
        const q = queueStateSchema.parse(await (await fetch(`${first.url}/api/queue`)).json());
        expect(q).toMatchObject({ queued: 6, running: 2, slots: { learned: 2 } });
        const atKling = (await ctx.sim.tasks()).filter((t) => t.task_status !== 'succeed');
        expect(atKling).toHaveLength(2);
        const list = taskListSchema.parse(await (await fetch(`${first.url}/api/tasks?status=queued`)).json());
        expect(list.tasks.every((t) => t.sentAt === null && t.queue !== undefined)).toBe(true);
      },
      { timeout: 10_000, interval: 20 },
    );
    await first.kill('SIGKILL');
    const refusedBefore = (await ctx.sim.requests()).filter((r) => r.response?.code === 1303).length;
    expect(refusedBefore).toBe(1);

    studio = await startStudioProcess(env());
    const second = studio;
    const again = (path: string) => fetch(`${second.url}${path}`);
    expect(second.output()).toMatch(/Queue: 6 tasks waiting for Kling/);
    for (const t of created) {
      const done = await waitForTask({ fetch: again }, t.id, undefined, 60_000);
      expect(done.status, done.statusMessage ?? '').toBe('succeed');
      expect(done.video?.bytes).toBeGreaterThan(0);
    }

    const received = await ctx.sim.requests();
    const accepted = received.filter((r) => r.response?.code === 0).map((r) => r.body.external_task_id);
    expect(accepted.sort()).toEqual(created.map((t) => t.externalTaskId).sort());
    expect((await ctx.sim.stats()).tasksCreated).toBe(8);
    // The limit learned before the crash held: no probe after it.
    expect(received.filter((r) => r.response?.code === 1303)).toHaveLength(refusedBefore);
  });
});
