import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KlingTask } from '../../contract/schemas/kling-task.ts';
import { createApiKeyAuth } from '../auth/kling-auth.ts';
import { memoryLogger } from '../lib/logger.ts';
import { createKlingClient, MAX_ANSWER_BYTES } from './kling-client.ts';
import { UpstreamError } from './upstream-error.ts';

/**
 * Finding 6 of the 2026-12 security review: a 300 MB poll answer took the studio to 2 GB, once per task
 * polled. Kling's answers are read up to a cap; anything longer is a malformed answer.
 */
const MB = 1024 * 1024;
const HUGE = 50 * MB;

/** A fake Kling on loopback: `/huge` answers a 50 MB JSON string (generated as it goes), `/padded` a valid task. */
let server: Server;
let baseUrl: string;
const sent = { hits: 0, bytes: 0 };

const task = (pad: number): KlingTask => ({
  task_id: 'padded',
  task_status: 'processing',
  task_status_msg: 'x'.repeat(pad),
  created_at: 1,
  updated_at: 2,
});

beforeAll(async () => {
  server = createServer((req, res) => {
    sent.hits++;
    if (req.url?.endsWith('/padded')) {
      const body = JSON.stringify({
        code: 0,
        message: 'SUCCEED',
        request_id: 'r',
        data: task(MAX_ANSWER_BYTES - 1024),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let left = HUGE;
    res.on('error', () => {});
    res.write('{"code":0,"message":"SUCCEED","request_id":"r","data":"');
    const pump = () => {
      while (left > 0) {
        left -= chunk.length;
        sent.bytes += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end('"}');
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);

const client = () =>
  createKlingClient({
    baseUrl,
    auth: createApiKeyAuth('static-key-for-tests'),
    timeoutMs: 20_000,
    log: memoryLogger(),
    getAttempts: 2,
    retryBaseMs: 10,
  });

describe('Kling answers are read up to a cap', () => {
  it('a 50 MB poll answer fails as malformed, reading only about the cap, with memory bounded', async () => {
    sent.hits = 0;
    sent.bytes = 0;
    const before = process.memoryUsage();
    let peak = before;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      if (now.heapUsed + now.arrayBuffers > peak.heapUsed + peak.arrayBuffers) peak = now;
    }, 2);
    const err = await client()
      .getTask('huge', 'image2video')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    clearInterval(sampler);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ kind: 'malformed' });
    expect((err as UpstreamError).message).toMatch(/larger than 1 MB/);
    // Both attempts were cut off early: the fake had far less than 2 × 50 MB taken from it.
    expect(sent.hits).toBe(2);
    expect(sent.bytes).toBeLessThan(2 * 16 * MB);
    const growth = (peak.heapUsed + peak.arrayBuffers - before.heapUsed - before.arrayBuffers) / MB;
    expect(growth).toBeLessThan(24);
  });

  it('an answer just under the cap is read and parsed as usual', async () => {
    const got = await client().getTask('padded', 'image2video');
    expect(got?.task_status).toBe('processing');
    expect(got?.task_status_msg?.length).toBe(MAX_ANSWER_BYTES - 1024);
  });
});
