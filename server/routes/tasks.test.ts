import { beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../../contract/capabilities/matrix.ts';
import { LIMITS } from '../../contract/limits.ts';
import {
  healthSchema,
  taskEnvelopeSchema,
  taskInputsSchema,
  taskListSchema,
} from '../../contract/schemas/studio-api.ts';
import { b64, fakeVideoBytes, png, waitForTask, watchEvents, withStudio } from '../testing/studio-harness.ts';

const ctx = withStudio({ resetSimBeforeEach: true });
let image: string;
beforeAll(async () => {
  image = b64(await png(640, 360));
});

describe('health and capabilities', () => {
  it('reports the upstream in use', async () => {
    const health = healthSchema.parse(await (await ctx.studio.fetch('/api/health')).json());
    expect(health).toEqual({ ok: true, upstream: { kind: 'kling', baseUrl: ctx.sim.baseUrl } });
  });

  it('serves the contract capability map and limits (the rest: capabilities.test.ts)', async () => {
    const body = await (await ctx.studio.fetch('/api/capabilities')).json();
    expect(body).toMatchObject(JSON.parse(JSON.stringify({ models: MODELS, limits: LIMITS })));
  });

  it('answers unknown API routes and tasks with the error shape', async () => {
    const route = await ctx.studio.fetch('/api/nope');
    expect(route.status).toBe(404);
    expect((await route.json()).error.code).toBe('not_found');
    const task = await ctx.studio.fetch('/api/tasks/00000000-0000-0000-0000-000000000000');
    expect(task.status).toBe(404);
    expect(await task.json()).toEqual({ error: { code: 'not_found', message: 'No such task' } });
  });
});

describe('a task from create to archived video', () => {
  it('queues, streams queued → submitted → processing → succeed, archives, and serves it all', async () => {
    const watcher = watchEvents(ctx.studio.url);
    await watcher.ready;
    const body = { model_name: 'kling-v1', mode: 'std', duration: '5', prompt: 'a slow push-in', image };
    const res = await ctx.studio.create(body);
    expect(res.status).toBe(201);
    const { task } = taskEnvelopeSchema.parse(await res.json());
    // Accepted at once, before Kling is asked: the dispatcher sends it.
    expect(task).toMatchObject({
      status: 'queued',
      klingTaskId: null,
      model: 'kling-v1',
      mode: 'std',
      duration: '5',
      motion: 'none',
    });
    expect(task.externalTaskId).toBe(`ms-${task.id}`);
    expect(task.thumbnailUrl).toBe(`/api/tasks/${task.id}/thumbnail`);

    const sent = await watcher.waitFor((t) => t.id === task.id && t.status === 'submitted');
    expect(sent.klingTaskId).toMatch(/^\d{18}$/);
    expect(sent.sentAt).toBeGreaterThanOrEqual(task.createdAt);
    // Forwarded once, with the generated external id and the image as sent.
    const received = await ctx.sim.requests();
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toMatchObject({ ...body, external_task_id: task.externalTaskId });

    const done = await watcher.waitFor((t) => t.id === task.id && t.status === 'succeed');
    const seen = watcher.tasks.filter((t) => t.id === task.id).map((t) => t.status);
    expect(seen.slice(0, 2)).toEqual(['queued', 'submitted']);
    expect(seen).toContain('processing');
    expect(seen.indexOf('processing')).toBeLessThan(seen.indexOf('succeed'));
    expect((await ctx.sim.requests()).length).toBe(1);
    expect(done.video).toEqual({
      url: `/api/tasks/${task.id}/video`,
      duration: expect.any(String),
      bytes: 64 * 1024,
    });
    expect(done.units).toBe('1');
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.createdAt);
    watcher.close();

    // GET one and the list.
    const one = taskEnvelopeSchema.parse(await (await ctx.studio.fetch(`/api/tasks/${task.id}`)).json());
    expect(one.task).toEqual(done);
    const list = taskListSchema.parse(await (await ctx.studio.fetch('/api/tasks')).json());
    expect(list.tasks[0]!.id).toBe(task.id);

    // The archived video, whole and by range.
    const video = await ctx.studio.fetch(`/api/tasks/${task.id}/video`);
    expect(video.status).toBe(200);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    expect(video.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await video.arrayBuffer()).equals(fakeVideoBytes())).toBe(true);
    const part = await ctx.studio.fetch(`/api/tasks/${task.id}/video`, {
      headers: { range: 'bytes=100-199' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${64 * 1024}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(fakeVideoBytes().subarray(100, 200))).toBe(true);
    const tail = await ctx.studio.fetch(`/api/tasks/${task.id}/video`, { headers: { range: 'bytes=-10' } });
    expect((await tail.arrayBuffer()).byteLength).toBe(10);
    const bad = await ctx.studio.fetch(`/api/tasks/${task.id}/video`, {
      headers: { range: 'bytes=999999-' },
    });
    expect(bad.status).toBe(416);
    const download = await ctx.studio.fetch(`/api/tasks/${task.id}/video?download=1`);
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="motion-studio-kling-v1-${task.id.slice(0, 8)}.mp4"`,
    );
    await download.arrayBuffer();

    // The thumbnail is a small JPEG of the start frame.
    const thumb = await ctx.studio.fetch(`/api/tasks/${task.id}/thumbnail`);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    const thumbBytes = Buffer.from(await thumb.arrayBuffer());
    expect(thumbBytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
  });

  it('gives back every input for a remix', async () => {
    const mask = b64(await png(640, 360, { r: 255, g: 255, b: 255 }));
    const body = {
      model_name: 'kling-v1',
      mode: 'pro',
      duration: '5',
      prompt: 'the boat drifts right',
      negative_prompt: 'blur',
      cfg_scale: 0.7,
      image,
      static_mask: mask,
      dynamic_masks: [
        {
          mask,
          trajectories: [
            { x: 10, y: 10 },
            { x: 300, y: 200 },
          ],
        },
      ],
      external_task_id: 'remix-source-1',
    };
    const res = await ctx.studio.create(body);
    expect(res.status).toBe(201);
    const { task } = taskEnvelopeSchema.parse(await res.json());
    expect(task.motion).toBe('brush');
    const inputs = taskInputsSchema.parse(
      await (await ctx.studio.fetch(`/api/tasks/${task.id}/inputs`)).json(),
    );
    const { external_task_id: _omit, ...expected } = body;
    expect(inputs.request).toEqual(expected);
    expect(Object.keys(inputs.images).sort()).toEqual(['dynamic_masks[0].mask', 'image', 'static_mask']);
    expect(inputs.images.image).toMatchObject({ format: 'png', width: 640, height: 360, source: 'base64' });
    const file = await ctx.studio.fetch(inputs.images['dynamic_masks[0].mask']!.url);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(b64(Buffer.from(await file.arrayBuffer()))).toBe(mask);
    await waitForTask(ctx.studio, task.id);
  });
});

describe('history', () => {
  it('lists newest first with totals, pages and a status filter', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await ctx.studio.create({ image, prompt: `list ${i}` });
      ids.push(taskEnvelopeSchema.parse(await res.json()).task.id);
    }
    for (const id of ids) await waitForTask(ctx.studio, id);
    const page1 = taskListSchema.parse(await (await ctx.studio.fetch('/api/tasks?page=1&pageSize=2')).json());
    expect(page1.page).toBe(1);
    expect(page1.pageSize).toBe(2);
    expect(page1.tasks.map((t) => t.id)).toEqual([ids[2], ids[1]]);
    const total = page1.total;
    const page2 = taskListSchema.parse(await (await ctx.studio.fetch('/api/tasks?page=2&pageSize=2')).json());
    expect(page2.tasks[0]!.id).toBe(ids[0]);
    const succeeded = taskListSchema.parse(
      await (await ctx.studio.fetch('/api/tasks?status=succeed&pageSize=100')).json(),
    );
    expect(succeeded.total).toBe(total);
    const failed = taskListSchema.parse(await (await ctx.studio.fetch('/api/tasks?status=failed')).json());
    expect(failed.total).toBe(0);
    const bad = await ctx.studio.fetch('/api/tasks?status=done&pageSize=0');
    expect(bad.status).toBe(400);
    const err = await bad.json();
    expect(err.error.issues.map((i: { field: string }) => i.field).sort()).toEqual(['pageSize', 'status']);
  });
});
