import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireTask } from './task-store.ts';
import { b64, fakeVideoBytes, png, startTestSim, type TestSim } from './test-support.ts';
import { parseRange } from './video-route.ts';

describe('parseRange', () => {
  it('reads the forms browsers and download tools send', () => {
    expect(parseRange(undefined, 100)).toBeUndefined();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=0-1, 5-6', 100)).toEqual({ start: 0, end: 1 });
  });
  it('tells unsatisfiable from malformed', () => {
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=9-3', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRange('items=0-1', 100)).toBeUndefined();
    expect(parseRange('bytes=-', 100)).toBeUndefined();
  });
});

describe('video route', () => {
  let sim: TestSim;
  let url: string;
  const bytes = fakeVideoBytes();
  beforeAll(async () => {
    sim = await startTestSim();
    const { json } = await sim.create({ image: b64(await png()) });
    const t = await sim.waitFor((json.data as WireTask).task_id);
    url = t.task_result.videos![0]!.url;
  });
  afterAll(() => sim.stop());

  it('serves the whole file as video/mp4, advertising ranges, without auth', async () => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('answers a range with 206 and exactly those bytes', async () => {
    const res = await fetch(url, { headers: { range: 'bytes=100-199' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(res.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);

    const tail = await fetch(url, { headers: { range: 'bytes=-16' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 16))).toBe(true);

    const open = await fetch(url, { headers: { range: `bytes=${bytes.length - 5}-` } });
    expect(Buffer.from(await open.arrayBuffer()).equals(bytes.subarray(bytes.length - 5))).toBe(true);
  });

  it('answers 416 with the size for a range past the end', async () => {
    const res = await fetch(url, { headers: { range: `bytes=${bytes.length}-` } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
  });

  it('supports HEAD', async () => {
    const res = await fetch(url, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
  });

  it('404s anything that is not a finished task video', async () => {
    for (const path of [
      '/__sim/videos/123456789012345678.mp4',
      '/__sim/videos/..%2Findex.ts',
      '/__sim/videos/x.mp4',
    ])
      expect((await fetch(`${sim.baseUrl}${path}`)).status).toBe(404);
  });
});
