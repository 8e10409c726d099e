import { beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema } from '../../contract/schemas/studio-api.ts';
import { b64, png, type Studio, startStudio, withSim } from '../testing/studio-harness.ts';

/**
 * Behind a load balancer every request comes from the balancer's address. The test's own connections come
 * from 127.0.0.1, which plays the balancer: with TRUST_PROXY naming it, the clients it names in
 * X-Forwarded-For are told apart; without it, the header is only words.
 */
const ctx = withSim({ phaseMs: 60_000 });
let image: string;
beforeAll(async () => {
  image = b64(await png(640, 360));
});

const LIMITS = { RATE_LIMIT_CREATES_PER_MIN: '1', MAX_RUNNING_TASKS: '0' };
const from = (forwardedFor: string) => ({ 'x-forwarded-for': forwardedFor });

async function createStatus(studio: Studio, headers: Record<string, string>): Promise<number> {
  const res = await studio.create({ image }, headers);
  if (res.status !== 201) expect(apiErrorSchema.parse(await res.json()).error.code).toBe('rate_limited');
  else await res.body?.cancel();
  return res.status;
}

/** Opens GET /api/events and answers its status (a live stream is read up to its first line, kept open). */
async function openStream(studio: Studio, headers: Record<string, string>, streams: AbortController[]) {
  const abort = new AbortController();
  streams.push(abort);
  const res = await studio.fetch('/api/events', { headers, signal: abort.signal });
  if (res.status === 200) await res.body?.getReader().read();
  else await res.body?.cancel();
  return res.status;
}

describe('TRUST_PROXY', () => {
  it('two clients behind one trusted proxy each get their own create limit, and cannot pose as each other', async () => {
    await fetch(`${ctx.sim.baseUrl}/__sim/reset`, { method: 'POST' });
    const studio = await startStudio(ctx.sim, { env: { ...LIMITS, TRUST_PROXY: '127.0.0.1,::1' } });
    try {
      expect(await createStatus(studio, from('198.51.100.1'))).toBe(201);
      expect(await createStatus(studio, from('198.51.100.2'))).toBe(201);
      expect(await createStatus(studio, from('198.51.100.1'))).toBe(429);
      // The first client forging a fresh left-most address is still the address the proxy appended.
      expect(await createStatus(studio, from('203.0.113.50, 198.51.100.1'))).toBe(429);
      // The same client written as IPv4-mapped IPv6 is the same client.
      expect(await createStatus(studio, from('::ffff:198.51.100.2'))).toBe(429);
      expect(await createStatus(studio, from('198.51.100.3'))).toBe(201);
    } finally {
      await studio.close();
    }
  });

  it('without TRUST_PROXY, X-Forwarded-For changes nothing: the socket is the client', async () => {
    await fetch(`${ctx.sim.baseUrl}/__sim/reset`, { method: 'POST' });
    const studio = await startStudio(ctx.sim, { env: LIMITS });
    try {
      expect(await createStatus(studio, from('198.51.100.1'))).toBe(201);
      expect(await createStatus(studio, from('198.51.100.2'))).toBe(429);
      expect(await createStatus(studio, {})).toBe(429);
    } finally {
      await studio.close();
    }
  });

  it('a proxy that is not trusted cannot split its clients apart (or escape the limit) with the header', async () => {
    await fetch(`${ctx.sim.baseUrl}/__sim/reset`, { method: 'POST' });
    const studio = await startStudio(ctx.sim, { env: { ...LIMITS, TRUST_PROXY: '10.0.0.0/8' } });
    try {
      expect(await createStatus(studio, from('198.51.100.1'))).toBe(201);
      expect(await createStatus(studio, from('198.51.100.2'))).toBe(429);
    } finally {
      await studio.close();
    }
  });

  it('the per-client cap on event streams counts the forwarded client too', async () => {
    const studio = await startStudio(ctx.sim, {
      env: { SSE_MAX_PER_CLIENT: '1', TRUST_PROXY: '127.0.0.1,::1' },
    });
    const streams: AbortController[] = [];
    try {
      expect(await openStream(studio, from('198.51.100.1'), streams)).toBe(200);
      expect(await openStream(studio, from('198.51.100.1'), streams)).toBe(503);
      expect(await openStream(studio, from('198.51.100.2'), streams)).toBe(200);
    } finally {
      for (const s of streams) s.abort();
      await studio.close();
    }
  });
});
