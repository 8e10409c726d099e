import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { apiErrorSchema } from '../../contract/schemas/studio-api.ts';
import { listenStudio } from '../http/serve-studio.ts';
import { bodyOf, type RawExchange, rawConnect, stalledUpload } from '../testing/raw-http.ts';
import { b64, png, type Studio, startStudio, waitForTask, withSim } from '../testing/studio-harness.ts';

/**
 * Finding 4 of the 2026-12 security review: 30 sockets that stop short of a 48 MB body held 1.6 GB. Bodies
 * being read at once are capped, a stalled one is cut off by the server's request timeout, a client over
 * its creates-per-minute limit is refused before its body is read, and nothing is allocated for bytes that
 * have not arrived.
 */
const MB = 1024 * 1024;
const DECLARED = 48 * MB - 1024;

// Tasks stay unfinished: the running-task count and the per-minute window stay what the test made them.
const ctx = withSim({ phaseMs: 60_000 });
let image: string;
beforeAll(async () => {
  image = b64(await png(640, 360));
});

const open: RawExchange[] = [];
const stall = async (url: string, sendBytes = 64 * 1024) => {
  const x = await stalledUpload(url, { declared: DECLARED, sendBytes });
  open.push(x);
  return x;
};
const closeAll = () => {
  for (const x of open.splice(0)) x.socket.destroy();
};

/** A create that is refused by validation at once (no upstream call): it says whether a slot was free. */
const probe = async (url: string) => {
  const res = await fetch(`${url}/api/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  await res.arrayBuffer();
  return res;
};

/**
 * The harness's app served through the same helper main.ts listens with (the harness serves it without the
 * studio's timeouts): what the request and header timeouts do is only visible on that server.
 */
async function servedLikeMain(
  studio: Studio,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const { config } = studio.services;
  const server = await listenStudio(studio.app, { port: 0, hostname: '127.0.0.1', http: config.http });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('create bodies: bounded memory and connections', () => {
  it('reads at most 4 create bodies at once: the 5th gets 503 with Retry-After while the 4 are held', async () => {
    const studio = await startStudio(ctx.sim, {
      env: { RATE_LIMIT_CREATES_PER_MIN: '0', MAX_RUNNING_TASKS: '0' },
    });
    try {
      const held = [
        await stall(studio.url),
        await stall(studio.url),
        await stall(studio.url),
        await stall(studio.url),
      ];
      // Once the four are being read, every further create is turned away.
      await vi.waitFor(async () => expect((await probe(studio.url)).status).toBe(503), { timeout: 5000 });

      const fifth = await stall(studio.url);
      const { status, headers } = await fifth.head;
      expect(status).toBe(503);
      expect(Number(headers['retry-after'])).toBeGreaterThan(0);
      await fifth.until((t) => t.includes('}}'));
      const { error } = apiErrorSchema.parse(JSON.parse(bodyOf(fifth.text())));
      expect(error.code).toBe('busy');
      expect(error.message).toMatch(/try again/i);
      // The four are still being read: no answer, connections open.
      for (const x of held) {
        expect(x.text()).toBe('');
        expect(x.socket.destroyed).toBe(false);
      }

      // A client that gives up frees its slot.
      held[0]!.socket.destroy();
      await vi.waitFor(async () => expect((await probe(studio.url)).status).toBe(400), { timeout: 5000 });
    } finally {
      closeAll();
      await studio.close();
    }
  });

  it('POST /api/tasks and POST /api/motion-control share those 4 slots: the bound holds across both', async () => {
    const studio = await startStudio(ctx.sim, {
      env: { RATE_LIMIT_CREATES_PER_MIN: '0', MAX_RUNNING_TASKS: '0' },
    });
    try {
      const mc = { path: '/api/motion-control', declared: DECLARED, sendBytes: 64 * 1024 };
      open.push(await stalledUpload(studio.url, mc), await stalledUpload(studio.url, mc));
      await stall(studio.url);
      await stall(studio.url);
      // Two stalled on each route: a fifth create on either is turned away.
      await vi.waitFor(async () => expect((await probe(studio.url)).status).toBe(503), { timeout: 5000 });
      const fifth = await stalledUpload(studio.url, mc);
      open.push(fifth);
      expect((await fifth.head).status).toBe(503);
    } finally {
      closeAll();
      await studio.close();
    }
  });

  it('cuts a stalled body off after REQUEST_TIMEOUT_MS, and a stalled header after HEADERS_TIMEOUT_MS, freeing the slots', async () => {
    const studio = await startStudio(ctx.sim, {
      env: { REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '500', RATE_LIMIT_CREATES_PER_MIN: '0' },
    });
    const served = await servedLikeMain(studio);
    try {
      expect(served.server.requestTimeout).toBe(1000);
      expect(served.server.headersTimeout).toBe(500);
      const started = Date.now();
      const bodies = await Promise.all([1, 2, 3, 4].map(() => stall(served.url)));
      await vi.waitFor(async () => expect((await probe(served.url)).status).toBe(503), { timeout: 5000 });
      await Promise.all(bodies.map((x) => x.closed));
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(4000);
      // Node answers 408 when it cuts a request off before any answer was written.
      for (const x of bodies) expect(x.text()).toMatch(/^HTTP\/1\.1 408/);
      expect((await probe(served.url)).status).toBe(400);

      const header = await stalledHeader(served.url);
      const headerStarted = Date.now();
      await header.closed;
      expect(Date.now() - headerStarted).toBeLessThan(3000);
    } finally {
      closeAll();
      await served.close();
      await studio.close();
    }
  });

  it('refuses a client over its creates-per-minute limit with 429 before reading its body', async () => {
    await fetch(`${ctx.sim.baseUrl}/__sim/reset`, { method: 'POST' });
    const studio = await startStudio(ctx.sim, {
      env: { RATE_LIMIT_CREATES_PER_MIN: '1', MAX_RUNNING_TASKS: '0' },
    });
    try {
      const first = await studio.create({ image });
      expect(first.status).toBe(201);
      // Queued at once; the dispatcher sends it.
      await waitForTask(studio, (await first.json()).task.id, (t) => t.status !== 'queued');
      const x = await stall(studio.url);
      const { status } = await x.head;
      expect(status).toBe(429);
      // Answered while 48 MB were still owed: the body was never waited for.
      expect(x.socket.writableEnded).toBe(false);
      await x.until((t) => t.includes('}}'));
      const { error } = apiErrorSchema.parse(JSON.parse(bodyOf(x.text())));
      expect(error.code).toBe('rate_limited');
      expect((await ctx.sim.stats()).creates).toBe(1);
    } finally {
      closeAll();
      await studio.close();
    }
  });

  it('30 stalled sockets declaring 48 MB each hold little memory', async () => {
    const studio = await startStudio(ctx.sim, {
      env: { RATE_LIMIT_CREATES_PER_MIN: '0', MAX_RUNNING_TASKS: '0' },
    });
    try {
      await probe(studio.url);
      const before = process.memoryUsage();
      const sockets = await Promise.all(Array.from({ length: 30 }, () => stall(studio.url, 256 * 1024)));
      // 26 are turned away; the other 4 are being read.
      await vi.waitFor(
        async () => {
          const answered = sockets.filter((x) => /^HTTP\/1\.1 503/.test(x.text()));
          expect(answered.length).toBe(26);
        },
        { timeout: 10_000 },
      );
      const after = process.memoryUsage();
      // Today's sizes: 4 × 256 KB received. Preallocating the declared length would be 4 × 48 MB.
      expect((after.arrayBuffers - before.arrayBuffers) / MB).toBeLessThan(64);
      expect((after.rss - before.rss) / MB).toBeLessThan(256);
    } finally {
      closeAll();
      await studio.close();
    }
  });
});

async function stalledHeader(url: string): Promise<RawExchange> {
  const x = await rawConnect(url);
  open.push(x);
  await x.send(`POST /api/tasks HTTP/1.1\r\nHost: ${new URL(url).host}\r\nContent-Type: app`);
  return x;
}
