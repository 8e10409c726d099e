import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLog, type QueryRecord, type VideoFetches } from './access-log.ts';
import type { WireTask } from './task-store.ts';
import { b64, png, startTestSim, type TestSim } from './test-support.ts';

const PATH = '/v1/videos/image2video';

describe('GET /__sim/queries and /__sim/downloads', () => {
  let sim: TestSim;
  let task: WireTask;
  beforeAll(async () => {
    sim = await startTestSim();
    const { json } = await sim.create({ image: b64(await png()), external_task_id: 'ext-log-1' });
    task = await sim.waitFor((json.data as WireTask).task_id);
  });
  afterAll(() => sim.stop());

  const queries = async () => (await (await fetch(`${sim.baseUrl}/__sim/queries`)).json()) as QueryRecord[];
  const downloads = async () =>
    (await (await fetch(`${sim.baseUrl}/__sim/downloads`)).json()) as Record<string, VideoFetches>;

  it('logs each single-task query with its task, its external id and when, but not list queries', async () => {
    const before = Date.now();
    await sim.get(`${PATH}/${task.task_id}`);
    await sim.get(`${PATH}/ext-log-1`);
    await sim.get(`${PATH}?external_task_id=ext-log-1`);
    await sim.get(`${PATH}?pageNum=1&pageSize=10`);
    await sim.get(`${PATH}/999999999999999999`);
    const log = await queries();
    expect(log.map(({ taskId, externalTaskId }) => ({ taskId, externalTaskId }))).toEqual([
      { taskId: task.task_id, externalTaskId: 'ext-log-1' },
      { taskId: task.task_id, externalTaskId: 'ext-log-1' },
      { taskId: task.task_id, externalTaskId: 'ext-log-1' },
      { taskId: '999999999999999999' },
    ]);
    for (const q of log) expect(q.at).toBeGreaterThanOrEqual(before);
    expect(log.map((q) => q.at)).toEqual([...log.map((q) => q.at)].sort((a, b) => a - b));
  });

  it('counts fetches from byte 0 as downloads and later ranges as partials, per task', async () => {
    const url = task.task_result.videos![0]!.url;
    expect(await downloads()).toEqual({});
    const before = Date.now();
    await (await fetch(url)).arrayBuffer();
    await (await fetch(url, { headers: { range: 'bytes=0-' } })).arrayBuffer();
    await (await fetch(url, { headers: { range: 'bytes=100-199' } })).arrayBuffer();
    await (await fetch(url, { method: 'HEAD' })).arrayBuffer();
    await (await fetch(url, { headers: { range: 'bytes=99999999-' } })).arrayBuffer(); // 416
    const counted = (await downloads())[task.task_id]!;
    expect(counted).toMatchObject({ downloads: 2, partials: 1 });
    expect(counted.firstDownloadAt).toBeGreaterThanOrEqual(before);
    expect(counted.lastDownloadAt).toBeGreaterThanOrEqual(counted.firstDownloadAt!);
    expect(Object.keys(await downloads())).toEqual([task.task_id]);
  });

  it('forgets both on reset', async () => {
    await fetch(`${sim.baseUrl}/__sim/reset`, { method: 'POST' });
    expect(await queries()).toEqual([]);
    expect(await downloads()).toEqual({});
  });
});

describe('AccessLog bounds', () => {
  it('keeps the newest 20,000 queries at most, dropping the oldest', () => {
    const log = new AccessLog();
    for (let i = 0; i < 30_000; i++) log.recordQuery(`t${i}`, undefined, i);
    expect(log.queries.length).toBeLessThanOrEqual(22_000);
    expect(log.queries.length).toBeGreaterThanOrEqual(20_000);
    expect(log.queries.at(-1)).toEqual({ taskId: 't29999', externalTaskId: undefined, at: 29_999 });
    expect(log.queries[0]!.at).toBe(30_000 - log.queries.length);
  });
});
