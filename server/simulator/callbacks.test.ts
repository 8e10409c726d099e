import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryRecord } from './callbacks.ts';
import type { WireTask } from './task-store.ts';
import { b64, png, type Receiver, startReceiver, startTestSim, type TestSim } from './test-support.ts';

describe('callbacks', () => {
  let img: string;
  let receiver: Receiver;
  let sim: TestSim | undefined;
  beforeAll(async () => {
    img = b64(await png());
  });
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
    await receiver?.close();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  async function run(body: Record<string, unknown>, opts = {}) {
    receiver = await startReceiver();
    sim = await startTestSim(opts);
    const { json } = await sim.create({ image: img, callback_url: `${receiver.url}/hook/abc`, ...body });
    const id = (json.data as WireTask).task_id;
    await sim.waitFor(id);
    await sim.sim.callbacks.idle();
    return { id, bodies: receiver.received.map((r) => r.body as WireTask & { code?: number }) };
  }

  it('POSTs the bare task object on processing and on succeed, in order', async () => {
    const { id, bodies } = await run({ external_task_id: 'cb-1' });
    expect(receiver.received.every((r) => r.path === '/hook/abc')).toBe(true);
    expect(bodies.map((b) => b.task_status)).toEqual(['processing', 'succeed']);
    for (const b of bodies) {
      expect(b).not.toHaveProperty('code'); // no envelope
      expect(b.task_id).toBe(id);
      expect(b.task_info).toEqual({ external_task_id: 'cb-1' });
    }
    expect(bodies[0]!.task_result).toEqual({});
    expect(bodies[1]!.task_result.videos?.[0]?.url).toMatch(/\/__sim\/videos\/\d{18}\.mp4$/);
    expect(bodies[1]!.final_unit_deduction).toBe('1');
    expect(bodies[1]!.updated_at).toBeGreaterThanOrEqual(bodies[0]!.updated_at);
  });

  it('sends no signature headers without webhook secrets', async () => {
    await run({});
    for (const r of receiver.received)
      expect(Object.keys(r.headers).filter((h) => h.startsWith('webhook-'))).toEqual([]);
  });

  it('signs each callback (Standard Webhooks) with every webhook secret, one id per notification', async () => {
    const [oldSecret, newSecret] = [0, 1].map(() => `whsec_${randomBytes(32).toString('base64')}`) as [
      string,
      string,
    ];
    receiver = await startReceiver();
    receiver.statuses.push(500); // processing: one failure, then the retry
    sim = await startTestSim({ webhookSecrets: [oldSecret, newSecret], callbackRetryMs: 20 });
    const { json } = await sim.create({ image: img, callback_url: `${receiver.url}/hook` });
    await sim.waitFor((json.data as WireTask).task_id);
    await sim.sim.callbacks.idle();
    const got = receiver.received;
    expect(got.map((r) => (r.body as WireTask).task_status)).toEqual(['processing', 'processing', 'succeed']);
    const now = Math.floor(Date.now() / 1000);
    for (const r of got) {
      const h = r.headers as Record<string, string>;
      expect(Math.abs(Number(h['webhook-timestamp']) - now)).toBeLessThan(30);
      const sigs = h['webhook-signature']!.split(' ');
      expect(sigs).toHaveLength(2);
      // Each secret alone verifies (the package's own verify: what any Standard Webhooks receiver runs).
      for (const secret of [oldSecret, newSecret])
        expect(() => new Webhook(secret).verify(r.raw, h)).not.toThrow();
      expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(r.raw, h)).toThrow();
    }
    const ids = got.map((r) => r.headers['webhook-id']);
    // A retry is the same message (same id); the next notification is a new one.
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(sim.sim.deliveries().map((d) => d.webhookId)).toEqual(ids);
  });

  it('sends failed with its task_status_msg', async () => {
    const { bodies } = await run({ prompt: '[sim:fail]' });
    expect(bodies.map((b) => b.task_status)).toEqual(['processing', 'failed']);
    expect(bodies[1]!.task_status_msg).toMatch(/risk control/);
  });

  it('sends submitted too when callbackOnSubmit is set', async () => {
    const { bodies } = await run({}, { callbackOnSubmit: true });
    expect(bodies.map((b) => b.task_status)).toEqual(['submitted', 'processing', 'succeed']);
  });

  it('retries a failed delivery and keeps the order', async () => {
    receiver = await startReceiver();
    receiver.statuses.push(500, 503); // processing: two failures, then success
    sim = await startTestSim({ callbackRetryMs: 30 });
    const { json } = await sim.create({ image: img, callback_url: `${receiver.url}/hook` });
    await sim.waitFor((json.data as WireTask).task_id);
    await sim.sim.callbacks.idle();
    const statuses = receiver.received.map((r) => (r.body as WireTask).task_status);
    expect(statuses).toEqual(['processing', 'processing', 'processing', 'succeed']);
    const log = (await (await fetch(`${sim.baseUrl}/__sim/callbacks`)).json()) as DeliveryRecord[];
    expect(log.map((d) => [d.status, d.attempt, d.ok])).toEqual([
      ['processing', 1, false],
      ['processing', 2, false],
      ['processing', 3, true],
      ['succeed', 1, true],
    ]);
  });

  it('gives up after three tries without holding up the task', async () => {
    receiver = await startReceiver();
    const gone = await startReceiver();
    await gone.close();
    sim = await startTestSim({ callbackRetryMs: 10 });
    const { json } = await sim.create({ image: img, callback_url: `${gone.url}/hook` });
    const t = await sim.waitFor((json.data as WireTask).task_id);
    expect(t.task_status).toBe('succeed');
    await sim.sim.callbacks.idle();
    const log = sim.sim.deliveries();
    expect(log.filter((d) => d.status === 'processing').map((d) => d.attempt)).toEqual([1, 2, 3]);
    expect(log.every((d) => !d.ok)).toBe(true);
  });
});
