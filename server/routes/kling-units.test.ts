import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KlingTask } from '../../contract/schemas/kling-task.ts';
import { type StudioTask, taskEnvelopeSchema } from '../../contract/schemas/studio-api.ts';
import { b64, png, type Studio, startStudio, waitForTask, withStudio } from '../testing/studio-harness.ts';

/**
 * `final_unit_deduction` is the only thing from Kling that becomes a task's `units`: it is kept when it
 * is a decimal string and dropped otherwise (units stay unknown), whether it came by callback or by poll,
 * so no API consumer is ever handed markup as a number of units.
 */
const FORGED = '<img src=x onerror=alert(1)>';
let image: string;

const taskOf = async (s: Studio, id: string): Promise<StudioTask> =>
  taskEnvelopeSchema.parse(await (await s.fetch(`/api/tasks/${id}`)).json()).task;

beforeAll(async () => {
  image = b64(await png(640, 360));
});

describe('a callback carrying final_unit_deduction', () => {
  // Tasks stay `submitted` for a minute and polling waits as long: only the test's callbacks move them.
  const ctx = withStudio({ sim: { phaseMs: 60_000 }, callbacks: true });

  async function callback(task: StudioTask, status: KlingTask['task_status'], units: unknown) {
    const req = (await ctx.sim.requests()).find((r) => r.body.external_task_id === task.externalTaskId);
    const path = new URL(String(req?.body.callback_url)).pathname;
    return ctx.studio.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        task_id: task.klingTaskId,
        task_status: status,
        task_info: { external_task_id: task.externalTaskId },
        task_result: {},
        final_unit_deduction: units,
        created_at: Date.now(),
        updated_at: Date.now(),
      }),
    });
  }

  it('drops markup (the task moves on, its units stay unknown) and keeps a decimal', async () => {
    const queued = taskEnvelopeSchema.parse(
      await (await ctx.studio.create({ image, prompt: 'forged units' })).json(),
    ).task;
    // Kling's task id comes with the send.
    const task = await waitForTask(ctx.studio, queued.id, (t) => t.status !== 'queued');
    expect((await callback(task, 'processing', FORGED)).status).toBe(200);
    const processing = await taskOf(ctx.studio, task.id);
    expect(processing.status).toBe('processing');
    expect(processing.units).toBeNull();
    expect(JSON.stringify(await (await ctx.studio.fetch('/api/tasks')).json())).not.toContain('onerror');

    expect((await callback(task, 'processing', '2.5')).status).toBe(200);
    expect((await taskOf(ctx.studio, task.id)).units).toBe('2.5');
  });
});

describe('a poll answer carrying final_unit_deduction', () => {
  let upstream: Server;
  let studio: Studio;
  let polls = 0;
  beforeAll(async () => {
    // A stand-in Kling that accepts the create, then answers every poll with markup for units.
    const now = Date.now();
    const wire = (status: KlingTask['task_status'], extra: Record<string, unknown> = {}) => ({
      code: 0,
      message: 'SUCCEED',
      request_id: 'r',
      data: { task_id: '7000001', task_status: status, created_at: now, updated_at: now, ...extra },
    });
    upstream = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.method !== 'POST') polls++;
        const body =
          req.method === 'POST' ? wire('submitted') : wire('processing', { final_unit_deduction: FORGED });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    studio = await startStudio({ baseUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
  });
  afterAll(async () => {
    await studio.close();
    upstream.close();
  });

  it('moves the task on and leaves its units unknown', async () => {
    const { task } = taskEnvelopeSchema.parse(
      await (await studio.create({ image, prompt: 'polled units' })).json(),
    );
    await expect
      .poll(async () => (await taskOf(studio, task.id)).status, { timeout: 5000 })
      .toBe('processing');
    expect(polls).toBeGreaterThan(0);
    expect((await taskOf(studio, task.id)).units).toBeNull();
  });
});
