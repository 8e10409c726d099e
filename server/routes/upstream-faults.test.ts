import { createServer } from 'node:net';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type StudioTask, taskEnvelopeSchema, taskListSchema } from '../../contract/schemas/studio-api.ts';
import { CANCELLED, WAITING_FOR_KLING, WAITING_FOR_RATE, WAITING_FOR_SLOT } from '../queue/queue-words.ts';
import {
  b64,
  png,
  type Studio,
  startStudio,
  waitForTask,
  watchEvents,
  withStudio,
} from '../testing/studio-harness.ts';
import { NEVER_CONFIRMED, WAITING_FOR_CONFIRMATION } from '../tracker/failure-words.ts';

/**
 * Kling's bad days, through the simulator's fault switches. Every create is accepted (`queued`) before
 * Kling is asked; what Kling then says reaches the task: a refusal fails it in plain words, "busy" and
 * "too fast" keep it queued until Kling takes it, a lost answer is looked up, and no submission ever
 * creates a second task upstream.
 */
const ctx = withStudio({
  env: { UPSTREAM_TIMEOUT_MS: '500', CONFIRM_WINDOW_MS: '400' },
  resetSimBeforeEach: true,
});
let image: string;
beforeAll(async () => {
  image = b64(await png(640, 360));
});

const queue = async (s: Studio, body: unknown): Promise<StudioTask> => {
  const res = await s.create(body);
  expect(res.status).toBe(201);
  const { task } = taskEnvelopeSchema.parse(await res.json());
  expect(task.status).toBe('queued');
  return task;
};

const faultNext = (code: number, count = 1) =>
  fetch(`${ctx.sim.baseUrl}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ creates: { code, count } }),
  });

const cancel = (s: Studio, id: string) => s.fetch(`/api/tasks/${id}/cancel`, { method: 'POST' });

describe('create refused by Kling: the task fails in Kling’s words, sent once, nothing created', () => {
  it.each([
    ['1301', /^Kling’s content policy refused this request/],
    ['1102', /out of credits/],
    ['5000', /internal error\. Nothing was charged/],
    ['5001', /temporarily unavailable \(maintenance\)/],
  ])('%s → failed: %s', async (code, says) => {
    const task = await queue(ctx.studio, { image, prompt: `[sim:${code}] a cat` });
    const final = await waitForTask(ctx.studio, task.id);
    expect(final.status).toBe('failed');
    expect(final.statusMessage).toMatch(says);
    expect(final.statusMessage).not.toMatch(/undefined|\[object/);
    expect(final.klingTaskId).toBeNull();
    const stats = await ctx.sim.stats();
    expect(stats.creates).toBe(1);
    expect(stats.tasksCreated).toBe(0);
  });
});

describe('Kling busy or throttling: the task stays queued and goes out once Kling allows', () => {
  it.each([
    [1303, WAITING_FOR_SLOT],
    [1302, WAITING_FOR_RATE],
  ])('%i once, then accepted: one task upstream, never failed', async (code, words) => {
    await faultNext(code);
    const watcher = watchEvents(ctx.studio.url);
    await watcher.ready;
    const task = await queue(ctx.studio, { image, prompt: `refused ${code} once` });
    // Told why it waits, still queued: nothing of ours runs, so it waits out a moment, then goes again.
    const waiting = await watcher.waitFor((t) => t.id === task.id && t.statusMessage === words);
    expect(waiting.status).toBe('queued');
    const final = await waitForTask(ctx.studio, task.id);
    expect(final.status).toBe('succeed');
    expect(final.statusMessage).toBeNull();
    expect(watcher.tasks.filter((t) => t.id === task.id).map((t) => t.status)).not.toContain('failed');
    watcher.close();
    const received = await ctx.sim.requests();
    expect(received.map((r) => r.response?.code)).toEqual([code, 0]);
    expect((await ctx.sim.stats()).tasksCreated).toBe(1);
  });

  it('1303 on every try: queued with the reason, retried with backoff, cancelled, then never sent again', async () => {
    const task = await queue(ctx.studio, { image, prompt: '[sim:1303] always busy' });
    const waiting = await waitForTask(ctx.studio, task.id, (t) => t.statusMessage === WAITING_FOR_SLOT);
    expect(waiting.status).toBe('queued');
    // Backed off, not hammered: a second try comes after a second, not in a loop.
    await new Promise((r) => setTimeout(r, 300));
    expect((await ctx.sim.stats()).creates).toBeLessThanOrEqual(2);
    await vi.waitFor(async () => expect((await cancel(ctx.studio, task.id)).status).toBe(200), {
      timeout: 5000,
      interval: 100,
    });
    const sent = (await ctx.sim.stats()).creates;
    await new Promise((r) => setTimeout(r, 2500));
    expect((await ctx.sim.stats()).creates).toBe(sent);
    expect((await ctx.sim.stats()).tasksCreated).toBe(0);
    const cancelled = await waitForTask(ctx.studio, task.id, (t) => t.status === 'cancelled');
    expect(cancelled.statusMessage).toBe(CANCELLED);
  });
});

describe('answers lost on the way back', () => {
  it('a malformed create answer: the task is found by external_task_id, not sent again', async () => {
    const task = await queue(ctx.studio, { image, prompt: '[sim:malformed] a dog' });
    const sent = await waitForTask(ctx.studio, task.id, (t) => t.status !== 'queued');
    expect(sent.klingTaskId).toMatch(/^\d{18}$/);
    const stats = await ctx.sim.stats();
    expect(stats.creates).toBe(1);
    expect(stats.tasksCreated).toBe(1);
    expect((await waitForTask(ctx.studio, task.id)).status).toBe('succeed');
  });

  it('a hung create: the task waits for confirmation, is never re-sent, and ends failed', async () => {
    const task = await queue(ctx.studio, { image, prompt: '[sim:hang] a bird' });
    const waiting = await waitForTask(ctx.studio, task.id, (t) => t.status !== 'queued');
    expect(waiting.status).toBe('submitted');
    expect(waiting.statusMessage).toBe(WAITING_FOR_CONFIRMATION);
    expect(waiting.klingTaskId).toBeNull();
    const final = await waitForTask(ctx.studio, task.id);
    expect(final.status).toBe('failed');
    expect(final.statusMessage).toBe(NEVER_CONFIRMED);
    const stats = await ctx.sim.stats();
    expect(stats.creates).toBe(1);
    expect(stats.tasksCreated).toBe(0);
  });

  it('connection refused: kept queued with the reason, never failed; cancelling ends it', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const offline = await startStudio({ baseUrl: `http://127.0.0.1:${closed}` });
    try {
      const task = await queue(offline, { image });
      const waiting = await waitForTask(offline, task.id, (t) => t.statusMessage === WAITING_FOR_KLING);
      expect(waiting.status).toBe('queued');
      await vi.waitFor(async () => expect((await cancel(offline, task.id)).status).toBe(200));
      const list = taskListSchema.parse(await (await offline.fetch('/api/tasks')).json());
      expect(list.tasks.map((t) => t.status)).toEqual(['cancelled']);
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
