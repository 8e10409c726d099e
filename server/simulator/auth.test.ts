import { type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuthorization } from './auth.ts';
import { startTestSim, type TestSim } from './test-support.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const now = () => Math.floor(Date.now() / 1000);

async function jwt(
  claims: JWTPayload,
  opts: { secret?: string; alg?: 'HS256' | 'HS512'; header?: Record<string, string> } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT', ...opts.header })
    .sign(new TextEncoder().encode(opts.secret ?? 'test-sk'));
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('auth, over HTTP: every failure gets its Kling code and 401', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ apiKey: 'static-key-123' });
  });
  afterAll(() => sim.stop());

  const list = (authorization?: string) =>
    fetch(`${sim.baseUrl}/v1/videos/image2video`, { headers: authorization ? { authorization } : {} });

  async function expectCode(authorization: string | undefined, code: number) {
    const res = await list(authorization);
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(code === 0 ? 200 : 401);
    expect(body.code).toBe(code);
    if (code !== 0) {
      expect(body).not.toHaveProperty('data');
      expect(body.request_id).toMatch(UUID);
      expect(typeof body.message).toBe('string');
    }
  }

  it('accepts a token signed as Kling documents it (iss, exp = now+1800, nbf = now-5)', async () => {
    await expectCode(`Bearer ${await sim.token()}`, 0);
  });

  it('accepts an extra iat and tolerates a missing nbf (jsonwebtoken-style clients)', async () => {
    await expectCode(`Bearer ${await jwt({ iss: 'test-ak', exp: now() + 600, iat: now() })}`, 0);
  });

  it('allows a few seconds of clock skew both ways', async () => {
    await expectCode(`Bearer ${await jwt({ iss: 'test-ak', exp: now() - 2 })}`, 0);
    await expectCode(`Bearer ${await jwt({ iss: 'test-ak', exp: now() + 600, nbf: now() + 2 })}`, 0);
  });

  it('1001 when the header is missing or empty', async () => {
    await expectCode(undefined, 1001);
    await expectCode('Bearer ', 1001);
  });

  it('1002 for a malformed header or token, a bad signature, a wrong iss, another alg or no exp', async () => {
    await expectCode('Basic dXNlcjpwYXNz', 1002);
    await expectCode(`Bearer  ${await sim.token()}`, 1002); // two spaces
    await expectCode('Bearer not-a-jwt', 1002);
    await expectCode(`Bearer ${await jwt({ iss: 'test-ak', exp: now() + 600 }, { secret: 'wrong' })}`, 1002);
    await expectCode(`Bearer ${await jwt({ iss: 'someone-else', exp: now() + 600 })}`, 1002);
    await expectCode(`Bearer ${await jwt({ iss: 'test-ak', exp: now() + 600 }, { alg: 'HS512' })}`, 1002);
    await expectCode(
      `Bearer ${b64url({ alg: 'none' })}.${b64url({ iss: 'test-ak', exp: now() + 600 })}.`,
      1002,
    );
    await expectCode(`Bearer ${await jwt({ iss: 'test-ak' })}`, 1002);
  });

  it('1003 when nbf is in the future', async () => {
    await expectCode(`Bearer ${await jwt({ iss: 'test-ak', exp: now() + 600, nbf: now() + 60 })}`, 1003);
  });

  it('1004 when the token has expired', async () => {
    await expectCode(`Bearer ${await sim.token({ nowSeconds: now() - 1900 })}`, 1004);
  });

  it('accepts the configured static API key as a bearer, and nothing like it', async () => {
    await expectCode('Bearer static-key-123', 0);
    await expectCode('Bearer static-key-124', 1002);
  });

  it('checks auth before anything else on every Kling route', async () => {
    const create = await fetch(`${sim.baseUrl}/v1/videos/image2video`, { method: 'POST', body: '{}' });
    expect(create.status).toBe(401);
    const one = await fetch(`${sim.baseUrl}/v1/videos/image2video/123456789012345678`);
    expect(((await one.json()) as { code: number }).code).toBe(1001);
  });
});

describe('verifyAuthorization', () => {
  const keys = { accessKey: 'ak', secretKey: 'sk' };
  it('does not accept a static key unless one is configured', async () => {
    expect(await verifyAuthorization('Bearer anything', keys)).toEqual({ ok: false, code: 1002 });
  });
  it('takes the scheme case-insensitively', async () => {
    const token = await jwt({ iss: 'ak', exp: now() + 60 }, { secret: 'sk' });
    expect(await verifyAuthorization(`bearer ${token}`, keys)).toEqual({ ok: true, via: 'jwt' });
  });
});
