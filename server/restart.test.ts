import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type StudioTask, taskEnvelopeSchema, taskListSchema } from '../contract/schemas/studio-api.ts';
import { b64, png, SIM_KEYS, tempDir, waitForTask, withSim } from './testing/studio-harness.ts';
import { type StudioProcess, startStudioProcess } from './testing/studio-process.ts';

/**
 * Crash durability: the studio runs as its own process (tsx server/main.ts) against a standalone simulator,
 * is killed with SIGKILL while 20 tasks are in flight and one create is unanswered, then started again on
 * the same DATA_DIR. Every task is still listed and reaches its final state with an archived video, and the
 * simulator holds exactly one task per submission (the unanswered one, which Kling dropped, is sent again).
 */
// Slow enough that every task is still running when the studio dies.
const ctx = withSim({ phaseMs: 1500 });
let dataDir: string;
let studio: StudioProcess | undefined;

beforeAll(async () => {
  dataDir = tempDir('restart');
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
  CONFIRM_WINDOW_MS: '1500',
  UPSTREAM_TIMEOUT_MS: '5000',
  // 21 creates in a few seconds: above the wallet guard's defaults (20 a minute, 20 running).
  RATE_LIMIT_CREATES_PER_MIN: '100',
  MAX_RUNNING_TASKS: '100',
  // All 21 at Kling at once (the simulator allows 50): the queue sends each as soon as it is accepted.
  KLING_CONCURRENCY: '25',
});

describe('kill -9 and restart', () => {
  it('keeps every task and finishes them all, with exactly one upstream task each', async () => {
    studio = await startStudioProcess(env());
    const first = studio;
    const api = (path: string, init?: RequestInit) => fetch(`${first.url}${path}`, init);
    const image = b64(await png(640, 360));
    const created: StudioTask[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await api('/api/tasks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ image, prompt: `crash test ${i}` }),
      });
      expect(res.status).toBe(201);
      created.push(taskEnvelopeSchema.parse(await res.json()).task);
    }
    // One more whose answer never comes: the studio dies while Kling is "thinking" about it.
    const unanswered = api('/api/tasks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ image, prompt: '[sim:slow=4000] cut off' }),
    }).catch(() => undefined);
    // Kill only once the create has reached Kling, so the studio dies with it unanswered, not unsent.
    await vi.waitFor(
      async () => {
        const prompts = (await ctx.sim.requests()).map((r) => r.body.prompt);
        expect(prompts).toContain('[sim:slow=4000] cut off');
      },
      { timeout: 10_000, interval: 20 },
    );
    await first.kill('SIGKILL');
    await unanswered;
    // Mid-task: Kling (the simulator) still had work in flight when the studio died.
    const inFlight = (await ctx.sim.tasks()).filter((t) => t.task_status !== 'succeed').length;
    expect(inFlight).toBeGreaterThan(0);

    studio = await startStudioProcess(env());
    const second = studio;
    const again = (path: string) => fetch(`${second.url}${path}`);
    const list = taskListSchema.parse(await (await again('/api/tasks?pageSize=100')).json());
    expect(list.tasks).toHaveLength(21);
    for (const t of created) expect(list.tasks.map((x) => x.id)).toContain(t.id);

    for (const t of created) {
      const done = await waitForTask({ fetch: again }, t.id, undefined, 30_000);
      expect(done.status).toBe('succeed');
      expect(done.video?.bytes).toBeGreaterThan(0);
      const video = await again(`/api/tasks/${t.id}/video`);
      expect(video.status).toBe(200);
      await video.arrayBuffer();
    }
    // Kling dropped the create it was answering when the studio died (the caller was gone): the studio
    // asks for it by external id, finds nothing, and sends it again under that id. It runs once.
    const cutOff = list.tasks.find((t) => t.prompt.includes('cut off'))!;
    const resolved = await waitForTask({ fetch: again }, cutOff.id, undefined, 30_000);
    expect(resolved.status, resolved.statusMessage ?? '').toBe('succeed');
    expect(second.output()).toMatch(/never reached Kling; queued again/);

    const stats = await ctx.sim.stats();
    expect(stats.tasksCreated).toBe(21);
    expect(stats.creates).toBe(22);
    const cutOffCreates = (await ctx.sim.requests()).filter((r) => r.body.prompt === cutOff.prompt);
    expect(cutOffCreates.map((r) => r.body.external_task_id)).toEqual([
      cutOff.externalTaskId,
      cutOff.externalTaskId,
    ]);
    expect(second.output()).toMatch(/Resumed tracking \d+ unfinished tasks/);
  });
});
