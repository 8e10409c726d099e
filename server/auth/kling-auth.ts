import { SignJWT } from 'jose';
import type { KlingCredentials } from '../config/config.ts';
import { type Clock, systemClock } from '../lib/clock.ts';

/**
 * What every upstream call asks for: the Authorization header value. `invalidate` drops a cached token
 * after Kling said it expired (401/1004), so the retry carries a fresh one.
 */
export interface KlingAuth {
  authorization(): Promise<string>;
  invalidate(): void;
}

/** Claims per reference §1.1: iss = access key, exp = now + 1800 s, nbf = now − 5 s. */
export const JWT_TTL_SECONDS = 1800;
export const JWT_NOT_BEFORE_SKEW_SECONDS = 5;
/**
 * Renew this long before `exp`: a token handed out must outlive a slow upload plus clock drift
 * (kling-api's client uses the same 5 min margin; the official client's zero margin earns 1004s).
 */
export const JWT_RENEW_MARGIN_SECONDS = 300;

export function createJwtAuth(opts: {
  accessKey: string;
  secretKey: string;
  clock?: Clock;
  ttlSeconds?: number;
  renewMarginSeconds?: number;
}): KlingAuth & { signedCount(): number } {
  const clock = opts.clock ?? systemClock;
  const ttl = opts.ttlSeconds ?? JWT_TTL_SECONDS;
  const margin = opts.renewMarginSeconds ?? JWT_RENEW_MARGIN_SECONDS;
  const key = new TextEncoder().encode(opts.secretKey);
  let cached: { token: string; exp: number } | undefined;
  // One signing in flight at a time: concurrent callers share it instead of each minting a token.
  let pending: Promise<string> | undefined;
  let signed = 0;

  const sign = async (): Promise<string> => {
    const now = Math.floor(clock.now() / 1000);
    const exp = now + ttl;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(opts.accessKey)
      .setExpirationTime(exp)
      .setNotBefore(now - JWT_NOT_BEFORE_SKEW_SECONDS)
      .sign(key);
    cached = { token, exp };
    signed++;
    return token;
  };

  return {
    async authorization() {
      const now = clock.now() / 1000;
      if (cached && cached.exp - now > margin) return `Bearer ${cached.token}`;
      pending ??= sign().finally(() => {
        pending = undefined;
      });
      return `Bearer ${await pending}`;
    },
    invalidate() {
      cached = undefined;
    },
    signedCount: () => signed,
  };
}

/** Kling's 2026 static API key: sent as is, nothing to renew. */
export function createApiKeyAuth(apiKey: string): KlingAuth {
  return {
    authorization: async () => `Bearer ${apiKey}`,
    invalidate: () => {},
  };
}

export function createKlingAuth(credentials: KlingCredentials, clock?: Clock): KlingAuth {
  return credentials.type === 'jwt'
    ? createJwtAuth({ accessKey: credentials.accessKey, secretKey: credentials.secretKey, clock })
    : createApiKeyAuth(credentials.apiKey);
}
