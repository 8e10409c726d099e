import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { z } from 'zod';
import { SESSION_COOKIE, safeEqual, sessionValue } from '../http/app-token.ts';
import { clientIdOf } from '../http/client-id.ts';
import { readJsonBody } from '../http/read-json-body.ts';
import { StudioError } from '../lib/studio-error.ts';
import type { AppDeps } from './app-deps.ts';

const loginSchema = z.object({ token: z.string().max(1000) });
const MAX_FAILURES_PER_MINUTE = 10;

/**
 * POST /api/login {token}: exchanges APP_TOKEN for an HttpOnly, SameSite=Strict session cookie, so the
 * browser's EventSource and <video> (which cannot send headers) are authorised too.
 */
export function loginRoutes(deps: AppDeps) {
  const failures = new Map<string, number[]>();
  return new Hono().post('/', async (c) => {
    const appToken = deps.config.appToken;
    if (!appToken) return c.json({ ok: true, required: false });
    const client = clientIdOf(c);
    const now = deps.clock.now();
    const recent = (failures.get(client) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= MAX_FAILURES_PER_MINUTE)
      throw new StudioError(429, 'rate_limited', 'Too many wrong tokens. Wait a minute and try again.');
    const parsed = loginSchema.safeParse(await readJsonBody(c, 4096));
    if (!parsed.success || !safeEqual(parsed.data.token, appToken)) {
      failures.set(client, [...recent, now]);
      throw new StudioError(401, 'app_token_invalid', 'That access token is not right.');
    }
    setCookie(c, SESSION_COOKIE, sessionValue(appToken), {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: new URL(c.req.url).protocol === 'https:',
      maxAge: 30 * 24 * 3600,
    });
    return c.json({ ok: true, required: true });
  });
}
