import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../lib/clock.ts';
import { createApiKeyAuth, createJwtAuth, JWT_RENEW_MARGIN_SECONDS, JWT_TTL_SECONDS } from './kling-auth.ts';

const accessKey = 'ak-test-access';
const secretKey = 'sk-test-secret-0123456789';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const tokenOf = (header: string) => header.replace(/^Bearer /, '');

describe('JWT signer', () => {
  it('signs HS256 with iss = access key, exp = now + 1800 s, nbf = now − 5 s', async () => {
    const clock = manualClock(T0);
    const auth = createJwtAuth({ accessKey, secretKey, clock });
    const header = await auth.authorization();
    expect(header).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const token = tokenOf(header);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toEqual({ iss: accessKey, exp: T0 / 1000 + 1800, nbf: T0 / 1000 - 5 });
    // The secret key verifies it (what Kling does), at the signer's own time.
    await expect(
      jwtVerify(token, new TextEncoder().encode(secretKey), { currentDate: new Date(T0) }),
    ).resolves.toBeTruthy();
  });

  it('reuses the token until the renewal margin, then renews', async () => {
    const clock = manualClock(T0);
    const auth = createJwtAuth({ accessKey, secretKey, clock });
    const first = await auth.authorization();
    // 1800 − 300 − 1 s later the token still has just over the margin left: reused.
    clock.advance((JWT_TTL_SECONDS - JWT_RENEW_MARGIN_SECONDS - 1) * 1000);
    expect(await auth.authorization()).toBe(first);
    expect(auth.signedCount()).toBe(1);
    // 2 s more and it is inside the margin: a new token, issued at the new time.
    clock.advance(2000);
    const second = await auth.authorization();
    expect(second).not.toBe(first);
    expect(decodeJwt(tokenOf(second)).exp).toBe(Math.floor(clock.now() / 1000) + 1800);
    expect(auth.signedCount()).toBe(2);
  });

  it('renews on invalidate (after Kling answered 1004)', async () => {
    const clock = manualClock(T0);
    const auth = createJwtAuth({ accessKey, secretKey, clock });
    await auth.authorization();
    auth.invalidate();
    clock.advance(1000);
    await auth.authorization();
    expect(auth.signedCount()).toBe(2);
  });

  it('signs once for many concurrent callers', async () => {
    const auth = createJwtAuth({ accessKey, secretKey, clock: manualClock(T0) });
    const all = await Promise.all(Array.from({ length: 20 }, () => auth.authorization()));
    expect(new Set(all).size).toBe(1);
    expect(auth.signedCount()).toBe(1);
  });

  it('never puts the secret key in the token', async () => {
    const auth = createJwtAuth({ accessKey, secretKey, clock: manualClock(T0) });
    const token = tokenOf(await auth.authorization());
    const decoded = token
      .split('.')
      .slice(0, 2)
      .map((p) => Buffer.from(p, 'base64url').toString())
      .join('');
    expect(token).not.toContain(secretKey);
    expect(decoded).not.toContain(secretKey);
  });
});

describe('static API key', () => {
  it('is sent as a bearer token', async () => {
    expect(await createApiKeyAuth('key-abcdef').authorization()).toBe('Bearer key-abcdef');
  });
});
