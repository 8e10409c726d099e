import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, taskListSchema } from '../../contract/schemas/studio-api.ts';
import { b64, png, startStudio, waitForTask, withStudio } from '../testing/studio-harness.ts';
import { NEVER_CONFIRMED, WAITING_FOR_CONFIRMATION } from '../tracker/failure-words.ts';

/**
 * Kling's bad days, through the simulator's fault switches: each ends in a documented error or a clear task
 * state, and no submission ever creates a second task upstream.
 */
const ctx = withStudio({
  env: { UPSTREAM_TIMEOUT_MS: '500', CONFIRM_WINDOW_MS: '400' },
  resetSimBeforeEach: true,
});
let image: string;
beforeAll(async () => {
  image = b64(await png(640, 360));
});

const total = async () =>
  taskListSchema.parse(await (await ctx.studio.fetch('/api/tasks?pageSize=100')).json()).total;

describe('create refused by Kling: documented error, nothing kept, nothing created', () => {
  it.each([
    ['1303', 429, 'upstream_busy'],
    ['1302', 429, 'upstream_rate_limited'],
    ['1301', 400, 'content_policy'],
    ['1102', 429, 'upstream_out_of_credits'],
    ['5000', 502, 'upstream_error'],
    ['5001', 502, 'upstream_unavailable'],
  ])('%s → %i %s', async (code, status, studioCode) => {
    const before = await total();
    const res = await ctx.studio.create({ image, prompt: `[sim:${code}] a cat` });
    expect(res.status).toBe(status);
    const { error } = apiErrorSchema.parse(await res.json());
    expect(error).toMatchObject({ code: studioCode, upstreamCode: Number(code) });
    expect(error.message).not.toMatch(/undefined|\[object/);
    expect(await total()).toBe(before);
    const stats = await ctx.sim.stats();
    expect(stats.creates).toBe(1);
    expect(stats.tasksCreated).toBe(0);
  });
});

describe('answers lost on the way back', () => {
  it('a malformed create answer: the task is found by external_task_id, not sent again', async () => {
    const res = await ctx.studio.create({ image, prompt: '[sim:malformed] a dog' });
    expect(res.status).toBe(201);
    const { task } = await res.json();
    expect(task.klingTaskId).toMatch(/^\d{18}$/);
    const stats = await ctx.sim.stats();
    expect(stats.creates).toBe(1);
    expect(stats.tasksCreated).toBe(1);
    expect((await waitForTask(ctx.studio, task.id)).status).toBe('succeed');
  });

  it('a hung create: 504, the task waits for confirmation, is never re-sent, and ends failed', async () => {
    const started = Date.now();
    const res = await ctx.studio.create({ image, prompt: '[sim:hang] a bird' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.status).toBe(504);
    const { error } = apiErrorSchema.parse(await res.json());
    expect(error.code).toBe('upstream_timeout');
    expect(error.message).toMatch(/never sent twice/);
    const list = taskListSchema.parse(await (await ctx.studio.fetch('/api/tasks?pageSize=1')).json());
    const waiting = list.tasks[0]!;
    expect(waiting.statusMessage).toBe(WAITING_FOR_CONFIRMATION);
    expect(waiting.klingTaskId).toBeNull();
    const final = await waitForTask(ctx.studio, waiting.id);
    expect(final.status).toBe('failed');
    expect(final.statusMessage).toBe(NEVER_CONFIRMED);
    const stats = await ctx.sim.stats();
    expect(stats.creates).toBe(1);
    expect(stats.tasksCreated).toBe(0);
  });

  it('connection refused: 502, nothing kept', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const offline = await startStudio({ baseUrl: `http://127.0.0.1:${closed}` });
    try {
      const res = await offline.create({ image });
      expect(res.status).toBe(502);
      expect((await res.json()).error.code).toBe('upstream_unreachable');
      const list = taskListSchema.parse(await (await offline.fetch('/api/tasks')).json());
      expect(list.total).toBe(0);
    } finally {
      await offline.close();
    }
  });
});

describe('after the create', () => {
  it('a task Kling fails ends failed with its reason in plain words', async () => {
    const res = await ctx.studio.create({ image, prompt: '[sim:fail] a storm' });
    expect(res.status).toBe(201);
    const { task } = await res.json();
    const final = await waitForTask(ctx.studio, task.id);
    expect(final.status).toBe('failed');
    expect(final.statusMessage).toBe(
      'Kling could not make this video: Failure to pass the risk control system',
    );
    expect(final.video).toBeNull();
  });

  it('queries failing with 5000 twice are retried; the task still finishes', async () => {
    const res = await ctx.studio.create({ image, prompt: 'steady' });
    const { task } = await res.json();
    await fetch(`${ctx.sim.baseUrl}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ queries: { code: 5000, count: 2 } }),
    });
    expect((await waitForTask(ctx.studio, task.id)).status).toBe('succeed');
    expect((await ctx.sim.stats()).tasksCreated).toBe(1);
  });

  it('queries throttled with 1302 slow the tracker down; the task still finishes', async () => {
    const res = await ctx.studio.create({ image, prompt: 'patient' });
    const { task } = await res.json();
    await fetch(`${ctx.sim.baseUrl}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ queries: { code: 1302, count: 3 } }),
    });
    expect((await waitForTask(ctx.studio, task.id)).status).toBe('succeed');
    expect(ctx.studio.logLines.some((l) => l.includes('poll failed'))).toBe(true);
  });
});
