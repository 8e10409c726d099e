import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { b64, png, withStudio } from '../testing/studio-harness.ts';
import { isLoopbackHost } from './host-guard.ts';

/** Names a DNS-rebinding page can live on: they start like a loopback address but are ordinary DNS names. */
const LOOKALIKES = [
  '127.0.0.1.nip.io',
  '127.evil.example',
  '127.0.0.1.attacker.example',
  '127.0.0.1.',
  '127.1',
];
const LOOPBACK = ['127.0.0.1', '127.1.2.3', '127.255.255.254', 'localhost', '[::1]'];

describe('isLoopbackHost', () => {
  it('accepts loopback names and 127/8 IPv4 literals only', () => {
    for (const host of LOOPBACK) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of LOOKALIKES) expect(isLoopbackHost(host), host).toBe(false);
  });
});

/** Raw http, because fetch() does not let a test choose the Host header. */
function send(
  url: string,
  host: string,
  method = 'GET',
  path = '/api/health',
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      { method, headers: { host, ...(body ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('host guard on a loopback-bound studio', () => {
  const ctx = withStudio();
  let create: string;
  beforeAll(async () => {
    create = JSON.stringify({ model_name: 'kling-v1', prompt: 'x', image: b64(await png(64, 64)) });
  });

  it('refuses look-alike names, and a create through one never reaches the simulator', async () => {
    const port = new URL(ctx.studio.url).port;
    for (const name of LOOKALIKES.slice(0, 3)) {
      for (const host of [name, `${name}:${port}`]) {
        const health = await send(ctx.studio.url, host);
        expect(health.status, host).toBe(400);
        expect(JSON.parse(health.body).error.code, host).toBe('host_not_allowed');
        const created = await send(ctx.studio.url, host, 'POST', '/api/tasks', create);
        expect(created.status, host).toBe(400);
      }
    }
    expect((await ctx.sim.stats()).creates).toBe(0);
  });

  it('still answers loopback names, with and without a port', async () => {
    const port = new URL(ctx.studio.url).port;
    for (const name of LOOPBACK)
      for (const host of [name, `${name}:${port}`])
        expect((await send(ctx.studio.url, host)).status, host).toBe(200);
  });
});
