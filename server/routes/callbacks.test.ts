import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KlingTask } from '../../contract/schemas/kling-task.ts';
import { taskEnvelopeSchema } from '../../contract/schemas/studio-api.ts';
import {
  b64,
  freePort,
  png,
  type SimForStudio,
  type Studio,
  startSimForStudio,
  startStudio,
  waitForTask,
} from '../testing/studio-harness.ts';

/**
 * With PUBLIC_URL set, Kling's callbacks drive the task (polling waits a minute, so any progress seen
 * here came by callback). Forged, mismatched, late and repeated callbacks change nothing.
 */
let sim: SimForStudio;
let slowSim: SimForStudio;
let studio: Studio;
let slowStudio: Studio;
let image: string;

async function callbackStudio(upstream: SimForStudio): Promise<Studio> {
  const port = await freePort();
  return startStudio(upstream, {
    port,
    env: { PUBLIC_URL: `http://127.0.0.1:${port}`, POLL_MIN_MS: '60000', POLL_MAX_MS: '60000' },
  });
}

beforeAll(async () => {
  sim = await startSimForStudio();
  // Tasks on this one stay `submitted` for a minute: the test plays Kling's callbacks by hand.
  slowSim = await startSimForStudio({ phaseMs: 60_000 });
  studio = await callbackStudio(sim);
  slowStudio = await callbackStudio(slowSim);
  image = b64(await png(640, 360));
});
afterAll(async () => {
  await studio.close();
  await slowStudio.close();
  await sim.close();
  await slowSim.close();
});

async function tokenPathFor(upstream: SimForStudio, externalTaskId: string): Promise<string> {
  const req = (await upstream.requests()).find((r) => r.body.external_task_id === externalTaskId);
  const url = new URL(String(req?.body.callback_url));
  return url.pathname;
}

const post = (s: Studio, path: string, body: unknown) =>
  s.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

function wire(
  task: { klingTaskId: string | null; externalTaskId: string },
  status: KlingTask['task_status'],
): KlingTask {
  return {
    task_id: task.klingTaskId!,
    task_status: status,
    task_status_msg: status === 'failed' ? 'moderation' : '',
    task_info: { external_task_id: task.externalTaskId },
    task_result: {},
    created_at: Date.now(),
    updated_at: Date.now(),
  };
}

describe('Kling callbacks', () => {
  it('carry a per-task unguessable token and drive the task to an archived video without polling', async () => {
    const res = await studio.create({ image, prompt: 'called back' });
    const { task } = taskEnvelopeSchema.parse(await res.json());
    const path = await tokenPathFor(sim, task.externalTaskId);
    expect(path).toMatch(/^\/api\/callbacks\/kling\/[A-Za-z0-9_-]{43}$/);
    const done = await waitForTask(studio, task.id);
    expect(done.status).toBe('succeed');
    expect(done.video?.bytes).toBeGreaterThan(0);
    expect((await sim.stats()).queries).toBe(0);

    // A second task gets a different token.
    const other = taskEnvelopeSchema.parse(
      await (await studio.create({ image, prompt: 'another' })).json(),
    ).task;
    expect(await tokenPathFor(sim, other.externalTaskId)).not.toBe(path);

    // Late and repeated news after the end changes nothing.
    for (const status of ['processing', 'submitted', 'succeed', 'failed'] as const) {
      const late = await post(studio, path, wire(done, status));
      expect(late.status).toBe(200);
    }
    const after = taskEnvelopeSchema.parse(await (await studio.fetch(`/api/tasks/${task.id}`)).json()).task;
    expect(after).toEqual(done);
  });

  it('a forged token gets 404 and changes nothing', async () => {
    const { task } = taskEnvelopeSchema.parse(
      await (await slowStudio.create({ image, prompt: 'forged' })).json(),
    );
    const forged = `/api/callbacks/kling/${randomBytes(32).toString('base64url')}`;
    const res = await post(slowStudio, forged, wire(task, 'failed'));
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
    const now = taskEnvelopeSchema.parse(await (await slowStudio.fetch(`/api/tasks/${task.id}`)).json()).task;
    expect(now).toEqual(task);
  });

  it('a real token with another task in the body gets 400 and changes nothing', async () => {
    const { task } = taskEnvelopeSchema.parse(
      await (await slowStudio.create({ image, prompt: 'mismatch' })).json(),
    );
    const path = await tokenPathFor(slowSim, task.externalTaskId);
    const res = await post(slowStudio, path, { ...wire(task, 'failed'), task_id: '999999999999999999' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('callback_mismatch');
    const junk = await post(slowStudio, path, { hello: 'world' });
    expect(junk.status).toBe(400);
    const now = taskEnvelopeSchema.parse(await (await slowStudio.fetch(`/api/tasks/${task.id}`)).json()).task;
    expect(now).toEqual(task);
  });

  it('out of order: a late status never moves a task backwards', async () => {
    const { task } = taskEnvelopeSchema.parse(
      await (await slowStudio.create({ image, prompt: 'ordered' })).json(),
    );
    const path = await tokenPathFor(slowSim, task.externalTaskId);
    const statusNow = async () =>
      taskEnvelopeSchema.parse(await (await slowStudio.fetch(`/api/tasks/${task.id}`)).json()).task;

    await post(slowStudio, path, wire(task, 'processing'));
    expect((await statusNow()).status).toBe('processing');
    await post(slowStudio, path, wire(task, 'submitted'));
    expect((await statusNow()).status).toBe('processing');
    await post(slowStudio, path, wire(task, 'failed'));
    const failed = await statusNow();
    expect(failed.status).toBe('failed');
    expect(failed.statusMessage).toBe('Kling could not make this video: moderation');
    await post(slowStudio, path, wire(task, 'processing'));
    await post(slowStudio, path, {
      ...wire(task, 'succeed'),
      task_result: { videos: [{ id: '1', url: 'http://x/v.mp4', duration: '5' }] },
    });
    expect(await statusNow()).toEqual(failed);
  });

  it('accepts the envelope form some relays send', async () => {
    const { task } = taskEnvelopeSchema.parse(
      await (await slowStudio.create({ image, prompt: 'enveloped' })).json(),
    );
    const path = await tokenPathFor(slowSim, task.externalTaskId);
    const res = await post(slowStudio, path, {
      code: 0,
      message: 'SUCCEED',
      request_id: 'r',
      data: wire(task, 'processing'),
    });
    expect(res.status).toBe(200);
    expect(
      taskEnvelopeSchema.parse(await (await slowStudio.fetch(`/api/tasks/${task.id}`)).json()).task.status,
    ).toBe('processing');
  });
});
