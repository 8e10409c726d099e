import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { StudioError } from '../lib/studio-error.ts';

export const SESSION_COOKIE = 'ms_session';

/**
 * The cookie holds an HMAC derived from APP_TOKEN, not the token itself, so a copied cookie value does not
 * reveal the token (and still changes when the token does).
 */
export function sessionValue(appToken: string): string {
  return createHmac('sha256', appToken).update('motion-studio session v1').digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Paths open without the token: Kling's callback (it carries its own per-task secret) and the login itself. */
export const PUBLIC_API_PATHS = [/^\/api\/callbacks\/kling\//, /^\/api\/login$/];

export function isAuthorized(c: Context, appToken: string): boolean {
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
  if (bearer && safeEqual(bearer, appToken)) return true;
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie !== undefined && safeEqual(cookie, sessionValue(appToken));
}

/** With APP_TOKEN set, every /api route but the public ones needs the bearer token or the session cookie. */
export function requireAppToken(appToken: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!appToken || PUBLIC_API_PATHS.some((re) => re.test(c.req.path))) return next();
    if (!isAuthorized(c, appToken))
      throw new StudioError(401, 'app_token_required', 'This studio needs its access token. Sign in first.');
    return next();
  };
}
