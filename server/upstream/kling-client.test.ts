import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKeyAuth, createJwtAuth, type KlingAuth } from '../auth/kling-auth.ts';
import { manualClock } from '../lib/clock.ts';
import { memoryLogger } from '../lib/logger.ts';
import { b64, png, SIM_KEYS, type SimForStudio, startSimForStudio } from '../testing/studio-harness.ts';
import { createKlingClient } from './kling-client.ts';
import { UpstreamError } from './upstream-error.ts';

/** The signer and client against the real simulator, which verifies tokens exactly as Kling documents. */
let sim: SimForStudio;
let image: string;

beforeAll(async () => {
  sim = await startSimForStudio({ apiKey: 'static-api-key-for-tests' });
  image = b64(await png(640, 360));
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.baseUrl}/__sim/reset`, { method: 'POST' });
});

const clientWith = (auth: KlingAuth) =>
  createKlingClient({ baseUrl: sim.baseUrl, auth, timeoutMs: 3000, log: memoryLogger(), retryBaseMs: 10 });

/** Records every Authorization header the client sends, to see which token went out. */
function spying(auth: KlingAuth): KlingAuth & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    async authorization() {
      const h = await auth.authorization();
      sent.push(h);
      return h;
    },
    invalidate: () => auth.invalidate(),
  };
}

describe('JWT against the simulator', () => {
  it('is accepted, and renewed inside the margin (fake clock)', async () => {
    // Start 1600 s in the past: the first token expires 200 s from real now, i.e. inside the 300 s margin
    // once the clock catches up, so the second call must carry a fresh token (both valid for the sim).
    const clock = manualClock(Date.now() - 1_600_000);
    const auth = spying(createJwtAuth({ ...SIM_KEYS, clock }));
    const client = clientWith(auth);
    const created = await client.createTask({ image, prompt: 'first' });
    clock.set(Date.now());
    const fetched = await client.getTask(created.task_id, 'image2video');
    expect(fetched?.task_id).toBe(created.task_id);
    const [first, second] = auth.sent.map((h) => h.replace('Bearer ', ''));
    expect(first).not.toBe(second);
    expect(decodeJwt(first!).iss).toBe(SIM_KEYS.accessKey);
    expect(decodeJwt(second!).exp! - decodeJwt(first!).exp!).toBeGreaterThanOrEqual(1599);
  });

  it('on 401/1004 renews and retries once, so a create still lands exactly once', async () => {
    // A clock 2000 s slow signs an already expired token; the correction arrives with the renewal,
    // as when NTP fixes the host's time between two calls.
    let skewMs = -2_000_000;
    const inner = createJwtAuth({ ...SIM_KEYS, clock: { now: () => Date.now() + skewMs } });
    const auth = spying({
      authorization: () => inner.authorization(),
      invalidate() {
        skewMs = 0;
        inner.invalidate();
      },
    });
    const client = clientWith(auth);
    const task = await client.createTask({ image, prompt: 'retry once' });
    expect(task.task_status).toBe('submitted');
    expect(auth.sent).toHaveLength(2);
    const requests = await sim.requests();
    expect(requests.map((r) => r.response?.code)).toEqual([1004, 0]);
    expect((await sim.stats()).tasksCreated).toBe(1);
  });

  it('gives up after one retry when the keys are wrong', async () => {
    const client = clientWith(
      createJwtAuth({ accessKey: SIM_KEYS.accessKey, secretKey: 'wrong-secret-key-xyz' }),
    );
    const err = await client.createTask({ image }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).details.code).toBe(1002);
    expect((await sim.requests()).length).toBe(2);
    expect((await sim.stats()).tasksCreated).toBe(0);
  });
});

describe('static API key', () => {
  it('is accepted as the bearer value', async () => {
    const client = clientWith(createApiKeyAuth('static-api-key-for-tests'));
    const task = await client.createTask({ image, prompt: 'api key' });
    expect((await client.getTask(task.task_id, 'image2video'))?.task_id).toBe(task.task_id);
  });
});

describe('reads', () => {
  it('finds a task by external_task_id and answers undefined for an unknown one', async () => {
    const client = clientWith(createJwtAuth(SIM_KEYS));
    const task = await client.createTask({ image, external_task_id: 'client-ext-1' });
    expect((await client.getTask('client-ext-1', 'image2video'))?.task_id).toBe(task.task_id);
    expect(await client.getTask('no-such-task', 'image2video')).toBeUndefined();
  });

  it('maps a malformed answer to a malformed error', async () => {
    const client = clientWith(createJwtAuth(SIM_KEYS));
    const err = await client.createTask({ image, prompt: '[sim:malformed]' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).kind).toBe('malformed');
    expect((err as UpstreamError).answered).toBe(true);
  });

  it('times out a hung answer', async () => {
    const client = createKlingClient({
      baseUrl: sim.baseUrl,
      auth: createJwtAuth(SIM_KEYS),
      timeoutMs: 200,
      log: memoryLogger(),
    });
    const err = await client.createTask({ image, prompt: '[sim:hang]' }).catch((e: unknown) => e);
    expect((err as UpstreamError).kind).toBe('timeout');
    expect((err as UpstreamError).answered).toBe(false);
  });
});

describe('motion control', () => {
  /** A fake upstream behind the client's fetch: records every call and answers from `answer`. */
  function recording(answer: (method: string, path: string, n: number) => { status: number; body: unknown }) {
    const calls: { method: string; path: string; body: unknown }[] = [];
    const fake: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      const text = typeof init?.body === 'string' ? init.body : undefined;
      calls.push({ method: init?.method ?? 'GET', path: url.pathname, body: text && JSON.parse(text) });
      const { status, body } = answer(init?.method ?? 'GET', url.pathname, calls.length);
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    };
    return { calls, fake };
  }
  const ok = (task_id: string, task_status = 'submitted') => ({
    code: 0,
    message: 'SUCCEED',
    request_id: 'r',
    data: { task_id, task_status, created_at: 1, updated_at: 1 },
  });
  const body = {
    image_url: 'aGVsbG8=',
    video_url: 'https://videos.example/ref.mp4',
    character_orientation: 'video',
    mode: 'std',
  } as const;

  it('creates on /v1/videos/motion-control once, even when the answer is a server error', async () => {
    const { calls, fake } = recording(() => ({
      status: 500,
      body: { code: 5000, message: 'internal', request_id: 'r' },
    }));
    const client = createKlingClient({
      baseUrl: 'http://kling.invalid/',
      auth: createApiKeyAuth('k'),
      timeoutMs: 1000,
      log: memoryLogger(),
      fetch: fake,
    });
    const err = await client.createMotionControl(body).catch((e: unknown) => e);
    expect((err as UpstreamError).details.code).toBe(5000);
    expect(calls).toEqual([{ method: 'POST', path: '/v1/videos/motion-control', body }]);
  });

  it('reads each kind on its own path, retrying a transient failure', async () => {
    const { calls, fake } = recording((_m, path, n) =>
      n === 1
        ? { status: 500, body: { code: 5000, message: 'x', request_id: 'r' } }
        : { status: 200, body: ok(path) },
    );
    const client = createKlingClient({
      baseUrl: 'http://kling.invalid',
      auth: createApiKeyAuth('k'),
      timeoutMs: 1000,
      log: memoryLogger(),
      retryBaseMs: 1,
      fetch: fake,
    });
    expect((await client.getTask('ext-1', 'motion-control'))?.task_id).toBe(
      '/v1/videos/motion-control/ext-1',
    );
    expect((await client.getTask('t 2', 'image2video'))?.task_id).toBe('/v1/videos/image2video/t%202');
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /v1/videos/motion-control/ext-1',
      'GET /v1/videos/motion-control/ext-1',
      'GET /v1/videos/image2video/t%202',
    ]);
  });
});
