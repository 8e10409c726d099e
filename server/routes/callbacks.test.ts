import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KlingTask } from '../../contract/schemas/kling-task.ts';
import { taskEnvelopeSchema } from '../../contract/schemas/studio-api.ts';
import {
  b64,
  png,
  type SimForStudio,
  type Studio,
  startCallbackStudio,
  startSimForStudio,
  waitForTask,
  withStudio,
} from '../testing/studio-harness.ts';

/**
 * With PUBLIC_URL set, Kling's callbacks drive the task (polling waits a minute, so any progress seen
 * here came by callback). Forged, mismatched, late and repeated callbacks change nothing.
 */
const ctx = withStudio({ callbacks: true });
// Tasks on this one stay `submitted` for a minute: the test plays Kling's callbacks by hand.
const slow = withStudio({ sim: { phaseMs: 60_000 }, callbacks: true });
let image: string;
beforeAll(async () => {
  image = b64(await png(640, 360));
});

async function tokenPathFor(upstream: SimForStudio, externalTaskId: string): Promise<string> {
  const req = (await upstream.requests()).find((r) => r.body.external_task_id === externalTaskId);
  const url = new URL(String(req?.body.callback_url));
  return url.pathname;
}

/** A create's task once the dispatcher has sent it: it answers `queued`; Kling's id comes with the send. */
async function createSent(s: Studio, body: unknown) {
  const { task } = taskEnvelopeSchema.parse(await (await s.create(body)).json());
  return waitForTask(s, task.id, (t) => t.status !== 'queued');
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
    const task = await createSent(ctx.studio, { image, prompt: 'called back' });
    const path = await tokenPathFor(ctx.sim, task.externalTaskId);
    expect(path).toMatch(/^\/api\/callbacks\/kling\/[A-Za-z0-9_-]{43}$/);
    const done = await waitForTask(ctx.studio, task.id);
    expect(done.status).toBe('succeed');
    expect(done.video?.bytes).toBeGreaterThan(0);
    expect((await ctx.sim.stats()).queries).toBe(0);

    // A second task gets a different token.
    const other = await createSent(ctx.studio, { image, prompt: 'another' });
    expect(await tokenPathFor(ctx.sim, other.externalTaskId)).not.toBe(path);

    // Late and repeated news after the end changes nothing.
    for (const status of ['processing', 'submitted', 'succeed', 'failed'] as const) {
      const late = await post(ctx.studio, path, wire(done, status));
      expect(late.status).toBe(200);
    }
    const after = taskEnvelopeSchema.parse(
      await (await ctx.studio.fetch(`/api/tasks/${task.id}`)).json(),
    ).task;
    expect(after).toEqual(done);
  });

  it('a forged token gets 404 and changes nothing', async () => {
    const task = await createSent(slow.studio, { image, prompt: 'forged' });
    const forged = `/api/callbacks/kling/${randomBytes(32).toString('base64url')}`;
    const res = await post(slow.studio, forged, wire(task, 'failed'));
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
    const now = taskEnvelopeSchema.parse(
      await (await slow.studio.fetch(`/api/tasks/${task.id}`)).json(),
    ).task;
    expect(now).toEqual(task);
  });

  it('a real token with another task in the body gets 400 and changes nothing', async () => {
    const task = await createSent(slow.studio, { image, prompt: 'mismatch' });
    const path = await tokenPathFor(slow.sim, task.externalTaskId);
    const res = await post(slow.studio, path, { ...wire(task, 'failed'), task_id: '999999999999999999' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('callback_mismatch');
    const junk = await post(slow.studio, path, { hello: 'world' });
    expect(junk.status).toBe(400);
    const now = taskEnvelopeSchema.parse(
      await (await slow.studio.fetch(`/api/tasks/${task.id}`)).json(),
    ).task;
    expect(now).toEqual(task);
  });

  it('out of order: a late status never moves a task backwards', async () => {
    const task = await createSent(slow.studio, { image, prompt: 'ordered' });
    const path = await tokenPathFor(slow.sim, task.externalTaskId);
    const statusNow = async () =>
      taskEnvelopeSchema.parse(await (await slow.studio.fetch(`/api/tasks/${task.id}`)).json()).task;

    await post(slow.studio, path, wire(task, 'processing'));
    expect((await statusNow()).status).toBe('processing');
    await post(slow.studio, path, wire(task, 'submitted'));
    expect((await statusNow()).status).toBe('processing');
    await post(slow.studio, path, wire(task, 'failed'));
    const failed = await statusNow();
    expect(failed.status).toBe('failed');
    expect(failed.statusMessage).toBe('Kling could not make this video: moderation');
    await post(slow.studio, path, wire(task, 'processing'));
    await post(slow.studio, path, {
      ...wire(task, 'succeed'),
      task_result: { videos: [{ id: '1', url: 'http://x/v.mp4', duration: '5' }] },
    });
    expect(await statusNow()).toEqual(failed);
  });

  it('accepts the envelope form some relays send', async () => {
    const task = await createSent(slow.studio, { image, prompt: 'enveloped' });
    const path = await tokenPathFor(slow.sim, task.externalTaskId);
    const res = await post(slow.studio, path, {
      code: 0,
      message: 'SUCCEED',
      request_id: 'r',
      data: wire(task, 'processing'),
    });
    expect(res.status).toBe(200);
    expect(
      taskEnvelopeSchema.parse(await (await slow.studio.fetch(`/api/tasks/${task.id}`)).json()).task.status,
    ).toBe('processing');
  });
});

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Posts `body` as Kling would sign it: the `standardwebhooks` package, not the studio's own code. */
function signedPost(
  s: Studio,
  path: string,
  body: unknown,
  opts: { secret: string; id?: string; at?: Date; headers?: Record<string, string> },
) {
  const raw = JSON.stringify(body);
  const id = opts.id ?? randomUUID();
  const at = opts.at ?? new Date();
  return s.fetch(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(opts.secret).sign(id, at, raw),
      ...opts.headers,
    },
    body: raw,
  });
}

describe('signed callbacks (KLING_WEBHOOK_SECRET)', () => {
  const oldSecret = newSecret();
  const currentSecret = newSecret();
  let signed: Studio;
  beforeAll(async () => {
    // A rotation: both secrets valid at once.
    signed = await startCallbackStudio(slow.sim, {
      env: { KLING_WEBHOOK_SECRET: `${currentSecret}, ${oldSecret}` },
    });
  });
  afterAll(async () => {
    await signed.close();
  });

  async function slowTask(prompt: string) {
    const task = await createSent(signed, { image, prompt });
    return { task, path: await tokenPathFor(slow.sim, task.externalTaskId) };
  }
  const taskNow = async (id: string) =>
    taskEnvelopeSchema.parse(await (await signed.fetch(`/api/tasks/${id}`)).json()).task;

  it('a callback signed by either secret of the rotation is applied', async () => {
    const { task, path } = await slowTask('signed');
    const res = await signedPost(signed, path, wire(task, 'processing'), { secret: currentSecret });
    expect(res.status).toBe(200);
    expect((await taskNow(task.id)).status).toBe('processing');
    const res2 = await signedPost(signed, path, wire(task, 'failed'), { secret: oldSecret });
    expect(res2.status).toBe(200);
    expect((await taskNow(task.id)).status).toBe('failed');
  });

  it('unsigned, forged, stale, wrong-secret and replayed callbacks get 401 and change nothing', async () => {
    const { task, path } = await slowTask('attacked');
    const failed = wire(task, 'failed');
    const refused = async (res: Response, code: string) => {
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe(code);
      expect(await taskNow(task.id)).toEqual(task);
    };
    await refused(await post(signed, path, failed), 'signature_required');
    await refused(
      await signedPost(signed, path, failed, {
        secret: currentSecret,
        headers: { 'webhook-signature': `v1,${randomBytes(32).toString('base64')}` },
      }),
      'signature_invalid',
    );
    await refused(await signedPost(signed, path, failed, { secret: newSecret() }), 'signature_invalid');
    await refused(
      await signedPost(signed, path, failed, {
        secret: currentSecret,
        at: new Date(Date.now() - 6 * 60_000),
      }),
      'signature_stale',
    );
    await refused(
      await signedPost(signed, path, failed, {
        secret: currentSecret,
        at: new Date(Date.now() + 6 * 60_000),
      }),
      'signature_stale',
    );
    // Tampered: one message's signature headers, another's bytes.
    const id = randomUUID();
    const at = new Date();
    const genuine = JSON.stringify(wire(task, 'processing'));
    const tampered = await signed.fetch(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(currentSecret).sign(id, at, genuine),
      },
      body: genuine.replace('"processing"', '"failed"'),
    });
    await refused(tampered, 'signature_invalid');

    // Replayed: the very message that was applied, sent again; then its id with other, re-signed bytes.
    const first = { secret: currentSecret, id: randomUUID(), at: new Date() };
    expect((await signedPost(signed, path, wire(task, 'processing'), first)).status).toBe(200);
    const applied = await taskNow(task.id);
    expect(applied.status).toBe('processing');
    const replay = await signedPost(signed, path, wire(task, 'processing'), first);
    expect(replay.status).toBe(401);
    expect((await replay.json()).error.code).toBe('callback_replayed');
    const sameId = await signedPost(signed, path, failed, first);
    expect(sameId.status).toBe(401);
    expect(await taskNow(task.id)).toEqual(applied);
  });

  it("a signed callback that could not be applied does not use up its id: Kling's retry is heard", async () => {
    const { task, path } = await slowTask('retried');
    const msg = { secret: currentSecret, id: randomUUID(), at: new Date() };
    const mismatched = { ...wire(task, 'failed'), task_id: '999999999999999999' };
    // 400 both times (the body's fault), not 401 "replayed" the second time.
    expect((await signedPost(signed, path, mismatched, msg)).status).toBe(400);
    expect((await signedPost(signed, path, mismatched, msg)).status).toBe(400);
    expect(await taskNow(task.id)).toEqual(task);
  });

  it('an unknown token is still 404 when signed, and the secrets never reach the log', async () => {
    const { task, path } = await slowTask('token');
    const forged = `/api/callbacks/kling/${randomBytes(32).toString('base64url')}`;
    expect((await signedPost(signed, forged, wire(task, 'failed'), { secret: currentSecret })).status).toBe(
      404,
    );
    expect((await post(signed, path, wire(task, 'failed'))).status).toBe(401);
    signed.services.log.warn(`about to leak ${currentSecret} and ${oldSecret.slice('whsec_'.length)}`);
    const log = signed.logLines.join('\n');
    expect(log).toMatch(/Refused a callback.*"reason":"missing"/);
    for (const secret of [currentSecret, oldSecret]) {
      expect(log).not.toContain(secret);
      expect(log).not.toContain(secret.slice('whsec_'.length));
    }
  });
});

describe('signed callbacks, the whole path: the simulator signs, the studio verifies', () => {
  const secret = newSecret();
  const finish = async (s: Studio, prompt: string) => {
    const task = await createSent(s, { image, prompt });
    return waitForTask(s, task.id);
  };

  it('same secret on both sides: the task finishes by verified callbacks alone, never polled', async () => {
    const signingSim = await startSimForStudio({ webhookSecrets: [secret] });
    const s = await startCallbackStudio(signingSim, { env: { KLING_WEBHOOK_SECRET: secret } });
    try {
      const done = await finish(s, 'signed all the way');
      expect(done.status).toBe('succeed');
      expect(done.video?.bytes).toBeGreaterThan(0);
      expect((await signingSim.stats()).queries).toBe(0);
      await signingSim.sim.callbacks.idle();
      const deliveries = signingSim.sim.deliveries();
      expect(deliveries.map((d) => [d.status, d.result])).toEqual([
        ['processing', 200],
        ['succeed', 200],
      ]);
      expect(deliveries.every((d) => typeof d.webhookId === 'string')).toBe(true);
    } finally {
      await s.close();
      await signingSim.close();
    }
  });

  it('a simulator signing with another secret is refused (401), and polling still finishes the task', async () => {
    const otherSim = await startSimForStudio({ webhookSecrets: [newSecret()], callbackRetryMs: 20 });
    const s = await startCallbackStudio(otherSim, {
      env: { KLING_WEBHOOK_SECRET: secret, POLL_MIN_MS: '60', POLL_MAX_MS: '200' },
    });
    try {
      const done = await finish(s, 'wrong secret');
      expect(done.status).toBe('succeed');
      expect(done.video?.bytes).toBeGreaterThan(0);
      expect((await otherSim.stats()).queries).toBeGreaterThan(0);
      await otherSim.sim.callbacks.idle();
      const deliveries = otherSim.sim.deliveries();
      expect(deliveries.length).toBeGreaterThan(0);
      expect(deliveries.every((d) => d.result === 401 && !d.ok)).toBe(true);
    } finally {
      await s.close();
      await otherSim.close();
    }
  });
});
