import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaultBook,
  faultsFromPrompt,
  parseFaultEnv,
  parseFaultWord,
  RISK_CONTROL_MESSAGE,
} from './faults.ts';
import type { WireTask } from './task-store.ts';
import { b64, png, startTestSim, type TestSim } from './test-support.ts';

describe('fault vocabulary', () => {
  it('parses words, codes and delays', () => {
    expect(parseFaultWord('fail')).toEqual({ kind: 'fail', message: RISK_CONTROL_MESSAGE });
    expect(parseFaultWord('1303')).toEqual({ kind: 'error', code: 1303 });
    expect(parseFaultWord('slow=250')).toEqual({ kind: 'slow', ms: 250 });
    expect(parseFaultWord('HANG')).toEqual({ kind: 'hang' });
    expect(parseFaultWord('malformed')).toEqual({ kind: 'malformed' });
    expect(parseFaultWord('0')).toBeUndefined();
    expect(parseFaultWord('1999')).toBeUndefined();
    expect(parseFaultWord('explode')).toBeUndefined();
  });

  it('finds prompt markers anywhere in the prompt', () => {
    expect(faultsFromPrompt('a cat [sim:slow=100] walks [sim:1302]')).toEqual([
      { kind: 'slow', ms: 100 },
      { kind: 'error', code: 1302 },
    ]);
    expect(faultsFromPrompt('no markers')).toEqual([]);
  });

  it('reads SIM_FAULT for creates by default, or per target', () => {
    expect(parseFaultEnv('1303')).toEqual({ creates: '1303' });
    expect(parseFaultEnv('creates:fail,queries:5000')).toEqual({ creates: 'fail', queries: '5000' });
    expect(() => parseFaultEnv('queries:nonsense')).toThrow(/unknown fault/);
  });

  it('counts down configured rules', () => {
    const book = new FaultBook({ queries: { code: 5000, count: 2 } });
    expect(book.take('queries')).toHaveLength(1);
    expect(book.take('queries')).toHaveLength(1);
    expect(book.take('queries')).toEqual([]);
    expect(book.take('creates')).toEqual([]);
  });
});

describe('faults over HTTP', () => {
  let sim: TestSim;
  let img: string;
  beforeAll(async () => {
    sim = await startTestSim({ concurrency: 100 });
    img = b64(await png());
  });
  afterAll(() => sim.stop());

  it.each([
    ['1301', 400],
    ['1302', 429],
    ['1303', 429],
    ['5000', 500],
    ['5001', 503],
    ['1102', 429],
  ])('prompt marker [sim:%s] answers with Kling status %i and no task', async (code, status) => {
    const before = sim.sim.stats.tasksCreated;
    const { status: s, json } = await sim.create({ image: img, prompt: `hello [sim:${code}]` });
    expect({ status: s, code: json.code }).toEqual({ status, code: Number(code) });
    expect(json).not.toHaveProperty('data');
    expect(sim.sim.stats.tasksCreated).toBe(before);
  });

  it('the X-Sim-Fault header does the same, on creates and on queries', async () => {
    const c = await sim.create({ image: img }, { 'x-sim-fault': '1302' });
    expect({ status: c.status, code: c.json.code }).toEqual({ status: 429, code: 1302 });
    const q = await sim.get('/v1/videos/image2video', { 'x-sim-fault': '5000' });
    expect({ status: q.status, code: q.json.code }).toEqual({ status: 500, code: 5000 });
  });

  it('fail: accepted, then ends failed with a risk-control message', async () => {
    const { json } = await sim.create({ image: img, prompt: '[sim:fail]' });
    expect(json.code).toBe(0);
    const t = await sim.waitFor((json.data as WireTask).task_id);
    expect(t.task_status).toBe('failed');
    expect(t.task_status_msg).toBe(RISK_CONTROL_MESSAGE);
  });

  it('slow=<ms>: answers late, then normally', async () => {
    const t0 = Date.now();
    const { json } = await sim.create({ image: img, prompt: '[sim:slow=300]' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(json.code).toBe(0);
    const t1 = Date.now();
    expect((await sim.get('/v1/videos/image2video', { 'x-sim-fault': 'slow=200' })).status).toBe(200);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(190);
  });

  it('hang: never answers (the client times out) and creates nothing', async () => {
    const before = sim.sim.stats.tasksCreated;
    const attempt = sim.call('/v1/videos/image2video', {
      method: 'POST',
      body: JSON.stringify({ image: img, prompt: '[sim:hang]' }),
      signal: AbortSignal.timeout(250),
    });
    await expect(attempt).rejects.toThrow();
    // A sleep on purpose: it proves a negative (nothing gets created later), which no poll can wait for.
    await new Promise((r) => setTimeout(r, 50));
    expect(sim.sim.stats.tasksCreated).toBe(before);
  });

  it('malformed: HTTP 200 with a body that is not JSON; the task was created all the same', async () => {
    const res = await sim.call('/v1/videos/image2video', {
      method: 'POST',
      body: JSON.stringify({ image: img, prompt: '[sim:malformed]', external_task_id: 'lost-answer' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
    // A careful client recovers through its external_task_id.
    const found = await sim.get('/v1/videos/image2video?external_task_id=lost-answer');
    expect(found.json.code).toBe(0);
  });

  it('POST /__sim/faults faults the next N queries, then lets them through', async () => {
    const set = await fetch(`${sim.baseUrl}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ queries: { code: 5000, count: 2 } }),
    });
    expect(await set.json()).toMatchObject({ queries: { remaining: 2 }, creates: null });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await sim.get('/v1/videos/image2video')).json.code);
    expect(codes).toEqual([5000, 5000, 0]);
  });

  it('POST /__sim/faults for creates, by word, and refuses nonsense', async () => {
    await fetch(`${sim.baseUrl}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ creates: { fault: '1303', count: 1 } }),
    });
    expect((await sim.create({ image: img })).json.code).toBe(1303);
    expect((await sim.create({ image: img })).json.code).toBe(0);
    const bad = await fetch(`${sim.baseUrl}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ creates: { fault: 'explode' } }),
    });
    expect(bad.status).toBe(400);
  });

  it('records faulted creates with the answer given', async () => {
    await sim.create({ image: img, prompt: 'logged [sim:1302]' });
    const all = (await (await fetch(`${sim.baseUrl}/__sim/requests`)).json()) as {
      response?: { status: number; code: number };
    }[];
    expect(all.at(-1)?.response).toMatchObject({ status: 429, code: 1302 });
  });
});

describe('faults by configuration', () => {
  it('applies the configured fault to every create, and reset keeps it', async () => {
    const sim = await startTestSim({ faults: parseFaultEnv('creates:1303') });
    try {
      const img = b64(await png());
      expect((await sim.create({ image: img })).status).toBe(429);
      await fetch(`${sim.baseUrl}/__sim/reset`, { method: 'POST' });
      expect((await sim.create({ image: img })).json.code).toBe(1303);
      // a per-request fault overrides the configured one
      expect((await sim.create({ image: img }, { 'x-sim-fault': '5000' })).json.code).toBe(5000);
    } finally {
      await sim.stop();
    }
  });
});
