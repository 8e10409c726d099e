import { createHash, timingSafeEqual } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { KLING_CODE } from '../../contract/schemas/kling-task.ts';

/**
 * Kling's legacy auth (reference §1.1): `Authorization: Bearer <JWT>`, HS256 signed with the secret key
 * as raw UTF-8, `iss` = access key, `exp` and `nbf` checked. What we accept, and why:
 * - extra claims such as `iat` (node's jsonwebtoken adds it): accepted;
 * - a missing `nbf` (some clients send only `iss` and `exp`): tolerated;
 * - a missing `exp`: refused with 1002 — every documented client sends one, and a token that never
 *   expires working here but not on Kling would be a trap;
 * - clock skew: 5 s either way (Kling's own sample backdates `nbf` by 5 s for the same reason);
 * - no maximum lifetime (UNCERTAIN upstream; clients using 24 h tokens exist);
 * - a wrong `iss`, a bad signature, another algorithm or a token that is not a JWT: 1002
 *   ("Authorization is invalid"). UNCERTAIN whether Kling answers 1000 for a wrong `iss`; 1002 is the
 *   more specific code and what a client should treat as "fix your keys".
 * The optional static API key (2026 docs, §1.2) is accepted as the bearer value too.
 */
export type AuthFailureCode =
  | typeof KLING_CODE.authEmpty
  | typeof KLING_CODE.authInvalid
  | typeof KLING_CODE.authNotYetValid
  | typeof KLING_CODE.authExpired;
export type AuthResult = { ok: true; via: 'jwt' | 'api-key' } | { ok: false; code: AuthFailureCode };

export interface AuthKeys {
  accessKey: string;
  secretKey: string;
  apiKey?: string | undefined;
}

export const CLOCK_SKEW_SECONDS = 5;

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison is constant-time whatever the lengths.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export async function verifyAuthorization(
  header: string | undefined,
  keys: AuthKeys,
  now: Date = new Date(),
): Promise<AuthResult> {
  if (header === undefined || header.trim() === '') return { ok: false, code: KLING_CODE.authEmpty };
  // Exactly one space after the scheme, as the docs insist; the scheme itself is case-insensitive (RFC 7235).
  const m = /^Bearer ([^\s]+)$/i.exec(header);
  if (!m)
    return { ok: false, code: /^Bearer\s*$/i.test(header) ? KLING_CODE.authEmpty : KLING_CODE.authInvalid };
  const token = m[1]!;
  if (keys.apiKey && sameSecret(token, keys.apiKey)) return { ok: true, via: 'api-key' };
  try {
    await jwtVerify(token, new TextEncoder().encode(keys.secretKey), {
      algorithms: ['HS256'],
      issuer: keys.accessKey,
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: now,
    });
    return { ok: true, via: 'jwt' };
  } catch (err) {
    if (err instanceof errors.JWTExpired) return { ok: false, code: KLING_CODE.authExpired };
    if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'nbf')
      return { ok: false, code: KLING_CODE.authNotYetValid };
    return { ok: false, code: KLING_CODE.authInvalid };
  }
}

/** A token as Kling's own sample builds it: iss = AK, exp = now + ttl, nbf = now − 5 s. */
export async function signKlingToken(
  accessKey: string,
  secretKey: string,
  opts: { ttlSeconds?: number; nowSeconds?: number } = {},
): Promise<string> {
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(accessKey)
    .setExpirationTime(now + (opts.ttlSeconds ?? 1800))
    .setNotBefore(now - 5)
    .sign(new TextEncoder().encode(secretKey));
}
