import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KLING_ID_RE } from './ids.ts';
import type { RenderFn } from './render-queue.ts';
import type { SimulatorStats } from './simulator.ts';
import type { WireTask } from './task-store.ts';
import { b64, fakeRenderer, png, startTestSim, type TestSim } from './test-support.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let img: string;
beforeAll(async () => {
  img = b64(await png(640, 360));
});

describe('task lifecycle and shapes', () => {
  let sim: TestSim;
  const renderer = fakeRenderer({ delayMs: 30 });
  beforeAll(async () => {
    sim = await startTestSim({ phaseMs: 120, render: renderer.render, concurrency: 50 });
  });
  afterAll(() => sim.stop());

  it('goes submitted → processing → succeed, shaped as the real service answers', async () => {
    const created = await sim.create({ image: img, prompt: 'push in' });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ code: 0, message: 'SUCCEED' });
    expect(created.json.request_id).toMatch(UUID);
    const data = created.json.data as Record<string, unknown>;
    // The create answer is the short form (REAL): no task_status_msg and no task_result yet.
    expect(Object.keys(data).sort()).toEqual([
      'created_at',
      'task_id',
      'task_info',
      'task_status',
      'updated_at',
    ]);
    expect(data.task_id).toMatch(KLING_ID_RE);
    expect(data.task_status).toBe('submitted');
    expect(data.task_info).toEqual({});
    expect(data.created_at).toBe(data.updated_at);
    expect(Math.abs((data.created_at as number) - Date.now())).toBeLessThan(5000);
    const id = data.task_id as string;

    // Poll as a client would and keep every state seen.
    const seen: WireTask[] = [];
    for (let i = 0; i < 300; i++) {
      const { json } = await sim.get(`/v1/videos/image2video/${id}`);
      const t = json.data as WireTask;
      if (seen.at(-1)?.task_status !== t.task_status) seen.push(t);
      if (t.task_status === 'succeed' || t.task_status === 'failed') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen.map((t) => t.task_status)).toEqual(['submitted', 'processing', 'succeed']);
    for (const t of seen.slice(0, 2)) {
      expect(t.task_result).toEqual({});
      expect(t.task_status_msg).toBe('');
      expect(t).not.toHaveProperty('final_unit_deduction');
    }
    const done = seen[2]!;
    expect(done.updated_at).toBeGreaterThan(done.created_at);
    expect(done.final_unit_deduction).toBe('1');
    const video = done.task_result.videos![0]!;
    expect(video.id).toMatch(KLING_ID_RE);
    expect(video.id).not.toBe(id);
    expect(video.url).toBe(`${sim.baseUrl}/__sim/videos/${video.id}.mp4`);
    expect(video.duration).toBe('5.1');
  });

  it('bills by model, mode and duration, and reports a 10 s video as "10.1"', async () => {
    const cases = [
      [{ mode: 'pro', duration: '10' }, '7', '10.1'],
      [{ model_name: 'kling-v2-master' }, '10', '5.1'],
      [{ model_name: 'kling-v2-1-master', duration: '10' }, '20', '10.1'],
      // The 2026 table: 0.5 units/s in pro.
      [{ model_name: 'kling-v2-5-turbo', mode: 'pro' }, '2.5', '5.1'],
    ] as const;
    for (const [extra, units, duration] of cases) {
      const { json } = await sim.create({ image: img, ...extra });
      const t = await sim.waitFor((json.data as WireTask).task_id);
      expect(t.final_unit_deduction).toBe(units);
      expect(t.task_result.videos![0]!.duration).toBe(duration);
    }
  });

  it('hands the renderer the request: model fps, duration, quality, frames, camera and masks', async () => {
    const renderOf = async (body: Record<string, unknown>) => {
      const { json } = await sim.create({ image: img, ...body });
      const id = (json.data as WireTask).task_id;
      await sim.waitFor(id);
      return renderer.jobs.at(-1)!;
    };
    const v1 = await renderOf({});
    expect(v1).toMatchObject({ fps: 30, durationSeconds: 5, quality: 'std' });
    expect(v1.image.equals(Buffer.from(img, 'base64'))).toBe(true);
    expect(await renderOf({ model_name: 'kling-v2-1', mode: 'pro', duration: '10' })).toMatchObject({
      fps: 24,
      durationSeconds: 10,
      quality: 'pro',
    });
    expect((await renderOf({ model_name: 'kling-v2-master' })).quality).toBe('pro');
    const cam = { type: 'simple', config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 5 } };
    expect(
      (await renderOf({ model_name: 'kling-v1-5', mode: 'pro', camera_control: cam })).cameraControl,
    ).toEqual(cam);
    const tail = b64(await png(640, 360, { r: 250, g: 250, b: 0 }));
    expect(
      (await renderOf({ mode: 'pro', image_tail: tail })).imageTail?.equals(Buffer.from(tail, 'base64')),
    ).toBe(true);
    const trajectories = [
      { x: 100, y: 100 },
      { x: 300, y: 250 },
    ];
    const brush = await renderOf({ static_mask: img, dynamic_masks: [{ mask: img, trajectories }] });
    expect(brush.staticMask?.length).toBeGreaterThan(0);
    expect(brush.dynamicMasks?.[0]?.trajectories).toEqual(trajectories);
  });

  it('carries external_task_id in task_info and finds the task by it, in both forms', async () => {
    const { json } = await sim.create({ image: img, external_task_id: 'studio-42' });
    const data = json.data as WireTask;
    expect(data.task_info).toEqual({ external_task_id: 'studio-42' });
    const byPath = await sim.get('/v1/videos/image2video/studio-42');
    const byQuery = await sim.get('/v1/videos/image2video?external_task_id=studio-42');
    expect((byPath.json.data as WireTask).task_id).toBe(data.task_id);
    expect((byQuery.json.data as WireTask).task_id).toBe(data.task_id);
    expect((byQuery.json.data as WireTask).task_info.external_task_id).toBe('studio-42');
  });

  it('answers 404/1203 for an unknown task, whichever form', async () => {
    for (const path of [
      '/v1/videos/image2video/123456789012345678',
      '/v1/videos/image2video?external_task_id=nope',
    ]) {
      const { status, json } = await sim.get(path);
      expect({ status, code: json.code }).toEqual({ status: 404, code: 1203 });
      expect(json).not.toHaveProperty('data');
    }
  });

  it('answers 404/1202 on paths Kling does not have', async () => {
    const { status, json } = await sim.get('/v1/videos/text2image');
    expect({ status, code: json.code }).toEqual({ status: 404, code: 1202 });
  });
});

describe('list paging', () => {
  let sim: TestSim;
  const ids: string[] = [];
  beforeAll(async () => {
    sim = await startTestSim({ concurrency: 50 });
    for (let i = 0; i < 5; i++) ids.push(((await sim.create({ image: img })).json.data as WireTask).task_id);
  });
  afterAll(() => sim.stop());

  const page = async (q: string) => (await sim.get(`/v1/videos/image2video${q}`)).json;

  it('lists newest first, with defaults pageNum=1 and pageSize=30', async () => {
    const all = await page('');
    expect((all.data as WireTask[]).map((t) => t.task_id)).toEqual([...ids].reverse());
    expect((all.data as WireTask[])[0]).toHaveProperty('task_result');
  });

  it('pages', async () => {
    const ids2 = async (q: string) => ((await page(q)).data as WireTask[]).map((t) => t.task_id);
    expect(await ids2('?pageNum=1&pageSize=2')).toEqual([ids[4], ids[3]]);
    expect(await ids2('?pageNum=3&pageSize=2')).toEqual([ids[0]]);
    expect(await ids2('?pageNum=4&pageSize=2')).toEqual([]);
    expect(await ids2('?pageNum=1000&pageSize=500')).toEqual([]);
  });

  it('refuses out-of-range or non-integer paging with 400/1201', async () => {
    for (const q of [
      '?pageNum=0',
      '?pageNum=1001',
      '?pageSize=0',
      '?pageSize=501',
      '?pageNum=abc',
      '?pageSize=2.5',
    ]) {
      const { status, json } = await sim.get(`/v1/videos/image2video${q}`);
      expect({ q, status, code: json.code }).toEqual({ q, status: 400, code: 1201 });
      expect(json.message).toMatch(/page(Num|Size)/);
    }
  });
});

describe('concurrency', () => {
  let sim: TestSim | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('holds a slot from submitted until final and answers 429/1303 beyond the limit', async () => {
    sim = await startTestSim({ concurrency: 2, phaseMs: 150 });
    const a = await sim.create({ image: img });
    const b = await sim.create({ image: img });
    expect([a.json.code, b.json.code]).toEqual([0, 0]);
    const c = await sim.create({ image: img });
    expect({ status: c.status, code: c.json.code, message: c.json.message }).toEqual({
      status: 429,
      code: 1303,
      message: 'parallel task over resource pack limit',
    });
    expect(c.json).not.toHaveProperty('data');
    // Queries do not count against the limit.
    expect((await sim.get('/v1/videos/image2video')).status).toBe(200);
    await sim.waitFor((a.json.data as WireTask).task_id);
    await sim.waitFor((b.json.data as WireTask).task_id);
    expect((await sim.create({ image: img })).json.code).toBe(0);
  });

  it('a failed task frees its slot too', async () => {
    sim = await startTestSim({ concurrency: 1, phaseMs: 10 });
    const a = await sim.create({ image: img, prompt: '[sim:fail]' });
    await sim.waitFor((a.json.data as WireTask).task_id);
    expect((await sim.create({ image: img })).json.code).toBe(0);
  });

  it('runs at most two renders at once, queues the rest, and keeps answering meanwhile', async () => {
    let running = 0;
    let peak = 0;
    const slow = fakeRenderer({ delayMs: 150 });
    const render: RenderFn = async (job) => {
      running++;
      peak = Math.max(peak, running);
      try {
        return await slow.render(job);
      } finally {
        running--;
      }
    };
    sim = await startTestSim({ concurrency: 10, phaseMs: 5, render });
    const ids = await Promise.all(
      [0, 1, 2, 3, 4].map(async () => ((await sim!.create({ image: img })).json.data as WireTask).task_id),
    );
    // Renders are running and queued (polled: the tasks reach the render queue after their submitted phase),
    // and the API still answers meanwhile.
    await vi.waitFor(
      async () => {
        const stats = (await (await fetch(`${sim!.baseUrl}/__sim/stats`)).json()) as {
          renders: { running: number; queued: number };
        };
        expect(stats.renders).toEqual({ running: 2, queued: 3 });
      },
      { timeout: 5000, interval: 10 },
    );
    expect((await sim.get('/v1/videos/image2video')).status).toBe(200);
    for (const id of ids) expect((await sim.waitFor(id)).task_status).toBe('succeed');
    expect(peak).toBe(2);
  });

  it('a render that breaks ends the task failed with a message', async () => {
    sim = await startTestSim({ render: fakeRenderer({ fail: true }).render });
    const { json } = await sim.create({ image: img });
    const t = await sim.waitFor((json.data as WireTask).task_id);
    expect(t.task_status).toBe('failed');
    expect(t.task_status_msg).toMatch(/failed/i);
    expect(t.task_result).toEqual({});
  });
});

describe('stats and reset', () => {
  it('counts creates and queries per task, and reset forgets everything', async () => {
    const sim = await startTestSim();
    try {
      const { json } = await sim.create({ image: img, external_task_id: 'e1' });
      const id = (json.data as WireTask).task_id;
      await sim.create({ prompt: 'invalid' });
      await sim.get(`/v1/videos/image2video/${id}`);
      await sim.get('/v1/videos/image2video/e1');
      await sim.get('/v1/videos/image2video?external_task_id=e1');
      await sim.get('/v1/videos/image2video?pageSize=5');
      const stats = (await (await fetch(`${sim.baseUrl}/__sim/stats`)).json()) as SimulatorStats;
      expect(stats).toMatchObject({ creates: 2, tasksCreated: 1, queries: 4, listQueries: 1 });
      expect(stats.queriesByTask).toEqual({ [id]: 3 });

      expect((await fetch(`${sim.baseUrl}/__sim/reset`, { method: 'POST' })).status).toBe(200);
      const after = (await (await fetch(`${sim.baseUrl}/__sim/stats`)).json()) as SimulatorStats;
      expect(after).toMatchObject({ creates: 0, queries: 0, queriesByTask: {} });
      expect(await (await fetch(`${sim.baseUrl}/__sim/requests`)).json()).toEqual([]);
      expect(await (await fetch(`${sim.baseUrl}/__sim/tasks`)).json()).toEqual([]);
      expect((await sim.get(`/v1/videos/image2video/${id}`)).status).toBe(404);
      // external ids are free again after a reset
      expect((await sim.create({ image: img, external_task_id: 'e1' })).json.code).toBe(0);
    } finally {
      await sim.stop();
    }
  });
});
