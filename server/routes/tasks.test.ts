import { beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../../contract/capabilities/matrix.ts';
import { LIMITS } from '../../contract/limits.ts';
import {
  apiErrorSchema,
  BAD_CURSOR_MESSAGE,
  healthSchema,
  TASK_CURSOR,
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
    expect(health).toMatchObject({ ok: true, upstream: { kind: 'kling', baseUrl: ctx.sim.baseUrl } });
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
  const list = async (query: string) => {
    const res = await ctx.studio.fetch(`/api/tasks?${query}`);
    expect(res.status, query).toBe(200);
    return taskListSchema.parse(await res.json());
  };

  it('lists newest first by keyset pages (a cursor, no page numbers, no total) and a status filter', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await ctx.studio.create({ image, prompt: `list ${i}` });
      ids.push(taskEnvelopeSchema.parse(await res.json()).task.id);
    }
    for (const id of ids) await waitForTask(ctx.studio, id);
    const first = await ctx.studio.fetch('/api/tasks?pageSize=2');
    const firstBody = await first.json();
    expect(Object.keys(firstBody).sort()).toEqual(['nextCursor', 'pageSize', 'tasks']);
    const page1 = taskListSchema.parse(firstBody);
    expect(page1.pageSize).toBe(2);
    expect(page1.tasks.map((t) => t.id)).toEqual([ids[2], ids[1]]);
    expect(page1.nextCursor).toMatch(TASK_CURSOR);
    const page2 = await list(`pageSize=2&cursor=${page1.nextCursor}`);
    expect(page2.tasks[0]!.id).toBe(ids[0]);
    // Walking on to the end meets every task once, and ends with a null cursor.
    const seen = [...page1.tasks, ...page2.tasks].map((t) => t.id);
    for (let cursor = page2.nextCursor; cursor; ) {
      const next = await list(`pageSize=2&cursor=${cursor}`);
      seen.push(...next.tasks.map((t) => t.id));
      cursor = next.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const everything = await list('pageSize=100');
    expect(seen).toEqual(everything.tasks.map((t) => t.id));
    expect(everything.nextCursor).toBeNull();

    const succeeded = await list('status=succeed&pageSize=100');
    expect(succeeded.tasks.map((t) => t.id)).toEqual(expect.arrayContaining(ids));
    expect(succeeded.tasks.every((t) => t.status === 'succeed')).toBe(true);
    expect((await list('status=failed')).tasks).toEqual([]);
  });

  it('a page created meanwhile does not shift the next page: keyset cursors are places, not offsets', async () => {
    const make = async (prompt: string) => {
      const res = await ctx.studio.create({ image, prompt });
      return taskEnvelopeSchema.parse(await res.json()).task.id;
    };
    const older = await make('keyset older');
    const newer = await make('keyset newer');
    const page1 = await list('pageSize=1');
    expect(page1.tasks[0]!.id).toBe(newer);
    await make('keyset newest');
    const page2 = await list(`pageSize=1&cursor=${page1.nextCursor}`);
    expect(page2.tasks[0]!.id).toBe(older);
  });

  it('refuses a bad query with 400 naming each field; a cursor it did not make, in the contract’s words', async () => {
    const bad = await ctx.studio.fetch('/api/tasks?status=done&pageSize=0');
    expect(bad.status).toBe(400);
    const err = await bad.json();
    expect(err.error.issues.map((i: { field: string }) => i.field).sort()).toEqual(['pageSize', 'status']);

    // Garbage, and well-formed numbers no store could have made (past a 64-bit sequence).
    for (const cursor of ['abc', '12.x', '1.99999999999999999999', '1.9999999999999999999']) {
      const res = await ctx.studio.fetch(`/api/tasks?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor).toBe(400);
      const { error } = apiErrorSchema.parse(await res.json());
      expect(error.message, cursor).toBe(BAD_CURSOR_MESSAGE);
      expect(
        error.issues?.map((i) => [i.field, i.message]),
        cursor,
      ).toEqual([['cursor', BAD_CURSOR_MESSAGE]]);
    }
  });
});
