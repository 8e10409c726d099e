import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import { listenStudio } from '../http/serve-studio.ts';
import { bodyOf, type RawExchange, rawConnect } from '../testing/raw-http.ts';
import { b64, png, type Studio, startStudio, withSim } from '../testing/studio-harness.ts';

/**
 * Finding 7 of the 2026-12 security review: ~20 000 open /api/events streams used up the process's file
 * descriptors and /api/health became unreachable. Streams are capped per client and in total, and a
 * stream whose client stopped reading is dropped instead of being held (and fed) for ever.
 */
const ctx = withSim({ phaseMs: 60_000 });
let image: string;
beforeAll(async () => {
  image = b64(await png(640, 360));
});

const open: RawExchange[] = [];
let studio: Studio | undefined;
let served: Server | undefined;
afterEach(async () => {
  for (const x of open.splice(0)) x.socket.destroy();
  if (served) {
    const s = served;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }
  served = undefined;
  await studio?.close();
  studio = undefined;
});

/**
 * The harness's app on a server of this test's own (served as main.ts serves it), so the test can count
 * the connections the server still holds.
 */
async function serve(s: Studio): Promise<{ url: string; connections(): Promise<number> }> {
  const server = await listenStudio(s.app, { port: 0, hostname: '127.0.0.1', http: s.services.config.http });
  served = server;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () =>
      new Promise((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n)))),
  };
}

/** GET /api/events from a given loopback source address (the studio tells clients apart by address). */
async function events(url: string, from = '127.0.0.1'): Promise<RawExchange> {
  const x = await rawConnect(url, { localAddress: from });
  open.push(x);
  await x.send(`GET /api/events HTTP/1.1\r\nHost: ${new URL(url).host}\r\nAccept: text/event-stream\r\n\r\n`);
  return x;
}
const connected = (x: RawExchange) => x.until((t) => t.includes(': connected'));

describe('SSE streams are limited', () => {
  it('caps streams per client: the one over SSE_MAX_PER_CLIENT gets 503, Retry-After and retry:, health stays up, closing one frees a slot', async () => {
    studio = await startStudio(ctx.sim, { env: { SSE_MAX_PER_CLIENT: '3', SSE_MAX_STREAMS: '100' } });
    const streams = await Promise.all([1, 2, 3].map(() => events(studio!.url)));
    await Promise.all(streams.map(connected));

    const over = await events(studio.url);
    const { status, headers } = await over.head;
    expect(status).toBe(503);
    expect(Number(headers['retry-after'])).toBeGreaterThan(0);
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    const text = await over.until((t) => /\n\n$/.test(bodyOf(t)));
    expect(bodyOf(text)).toMatch(/^retry: 5000\n/m);
    expect(bodyOf(text)).toMatch(/"code":"too_many_streams"/);
    // Another client still gets one.
    await connected(await events(studio.url, '127.0.0.2'));
    expect((await studio.fetch('/api/health')).status).toBe(200);

    streams[0]!.socket.destroy();
    await vi.waitFor(
      async () => {
        const again = await events(studio!.url);
        expect((await again.head).status).toBe(200);
      },
      { timeout: 5000 },
    );
  });

  it('caps streams in total (SSE_MAX_STREAMS) across clients', async () => {
    studio = await startStudio(ctx.sim, { env: { SSE_MAX_PER_CLIENT: '3', SSE_MAX_STREAMS: '5' } });
    const streams = [
      ...(await Promise.all([1, 2, 3].map(() => events(studio!.url, '127.0.0.1')))),
      ...(await Promise.all([1, 2].map(() => events(studio!.url, '127.0.0.2')))),
    ];
    await Promise.all(streams.map(connected));
    for (const from of ['127.0.0.2', '127.0.0.3']) {
      const over = await events(studio.url, from);
      expect((await over.head).status).toBe(503);
    }
    expect(studio.services.events.listenerCount()).toBe(5);
    expect((await studio.fetch('/api/health')).status).toBe(200);
  });

  it('drops a stream whose reader stopped reading once its queue is full', async () => {
    studio = await startStudio(ctx.sim, { env: { SSE_HEARTBEAT_MS: '60000' } });
    const task = await someTask(studio);
    const server = await serve(studio);
    const x = await events(server.url);
    await connected(x);
    x.socket.pause();
    expect(studio.services.events.listenerCount()).toBe(1);
    // ~40 MB of events at once: more than the socket buffers hold, and past the queue's bound.
    const big: StudioTask = { ...task, prompt: 'p'.repeat(50_000) };
    const publish = (from: number, n: number) => {
      for (let i = from; i < from + n; i++)
        studio!.services.events.publish({ ...big, updatedAt: task.updatedAt + i });
    };
    publish(0, 800);
    await vi.waitFor(() => expect(studio!.services.events.listenerCount()).toBe(0), { timeout: 5000 });
    // The server let go of the connection although the client has read nothing since.
    await vi.waitFor(async () => expect(await server.connections()).toBe(0), { timeout: 5000 });
    expect(x.text()).not.toContain(`${task.id}:${task.updatedAt + 799}`);
  });

  it('drops a stream whose write stays pending for four heartbeats, even with a short queue', async () => {
    studio = await startStudio(ctx.sim, { env: { SSE_HEARTBEAT_MS: '250' } });
    const task = await someTask(studio);
    const server = await serve(studio);
    const x = await events(server.url);
    await connected(x);
    x.socket.pause();
    // ~30 MB in 300 events: the writes back up, the queue (500) never fills.
    const big: StudioTask = { ...task, prompt: 'p'.repeat(100_000) };
    for (let i = 0; i < 300; i++) studio.services.events.publish({ ...big, updatedAt: task.updatedAt + i });
    const started = Date.now();
    await vi.waitFor(() => expect(studio!.services.events.listenerCount()).toBe(0), { timeout: 5000 });
    // Four heartbeats (1 s) after the write that stayed pending, not at once.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await vi.waitFor(async () => expect(await server.connections()).toBe(0), { timeout: 5000 });
  });

  it('keeps a stream that reads, however many events it gets', async () => {
    studio = await startStudio(ctx.sim, { env: { SSE_HEARTBEAT_MS: '250' } });
    const task = await someTask(studio);
    const x = await events(studio.url);
    await connected(x);
    const big: StudioTask = { ...task, prompt: 'p'.repeat(10_000) };
    // ~8 MB in bursts of 100 (a burst within the queue's bound), each read before the next.
    for (let burst = 0; burst < 8; burst++) {
      for (let i = burst * 100; i < (burst + 1) * 100; i++)
        studio.services.events.publish({ ...big, updatedAt: task.updatedAt + i });
      const last = `id: ${task.id}:${task.updatedAt + (burst + 1) * 100 - 1}\n`;
      await x.until((t) => t.includes(last), 15_000);
    }
    expect(studio.services.events.listenerCount()).toBe(1);
    expect(x.socket.destroyed).toBe(false);
  });
});

describe('SSE delivery', () => {
  it("answers with the studio's headers, then a heartbeat comment while idle", async () => {
    studio = await startStudio(ctx.sim, { env: { SSE_HEARTBEAT_MS: '100' } });
    const x = await events(studio.url);
    const { status, headers } = await x.head;
    expect(status).toBe(200);
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    expect(headers['cache-control']).toBe('no-store');
    // Added by middleware after the route returned: the head is written after they ran.
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['x-hono-already-sent']).toBeUndefined();
    await x.until((t) => t.includes(': connected\n\n'));
    await x.until((t) => t.includes(': heartbeat\n\n'));
  });

  it('sends every stream the same event: `event: task`, the task as data, its id and updatedAt as id', async () => {
    studio = await startStudio(ctx.sim, { env: { SSE_HEARTBEAT_MS: '60000' } });
    const task = await someTask(studio);
    const streams = await Promise.all([1, 2, 3].map(() => events(studio!.url)));
    await Promise.all(streams.map(connected));
    const changed: StudioTask = { ...task, updatedAt: task.updatedAt + 1 };
    studio.services.events.publish(changed);
    const id = `${task.id}:${changed.updatedAt}`;
    const blocks = await Promise.all(
      streams.map(async (x) => {
        const text = await x.until((t) => t.includes(`id: ${id}\n\n`));
        const end = text.indexOf(`id: ${id}\n\n`);
        return text.slice(text.lastIndexOf('event: task\n', end), end + `id: ${id}\n\n`.length);
      }),
    );
    expect(new Set(blocks).size).toBe(1);
    // The raw text is latin1; the event is UTF-8.
    const data = Buffer.from(blocks[0]!, 'latin1')
      .toString('utf8')
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => l.slice(6))
      .join('\n');
    expect((JSON.parse(data) as { task: StudioTask }).task).toEqual(changed);
  });

  it("frees the stream's slot and bus listener when its client goes away", async () => {
    studio = await startStudio(ctx.sim, { env: { SSE_MAX_PER_CLIENT: '1', SSE_MAX_STREAMS: '10' } });
    const x = await events(studio.url);
    await connected(x);
    expect(studio.services.events.listenerCount()).toBe(1);
    x.socket.destroy();
    await vi.waitFor(() => expect(studio!.services.events.listenerCount()).toBe(0), { timeout: 5000 });
    const again = await events(studio.url);
    expect((await again.head).status).toBe(200);
  });
});

async function someTask(s: Studio): Promise<StudioTask> {
  const res = await s.create({ image });
  expect(res.status).toBe(201);
  return ((await res.json()) as { task: StudioTask }).task;
}
