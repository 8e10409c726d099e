import { type Context, Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { SESSION_COOKIE, safeEqual, sessionsOf } from '../http/app-token.ts';
import { clientIdOf } from '../http/client-id.ts';
import { readJsonBody } from '../http/read-json-body.ts';
import { type Clock, sleep } from '../lib/clock.ts';
import { StudioError } from '../lib/studio-error.ts';
import type { AppDeps } from './app-deps.ts';

const loginSchema = z.object({ token: z.string().max(1000) });

export interface LoginAttempt {
  /** Over the limit: a wrong token is answered 429, and the comparison waits `delayMs` first. */
  limited: boolean;
  delayMs: number;
  /** Call exactly once, when the token has been judged (or the request failed). */
  settle(ok: boolean): void;
}

/**
 * Failed logins per address, plus a global cap. An attempt is counted the moment it starts, before its
 * body arrives, so slow bodies cannot all be judged against the same stale count.
 *
 * Beyond the limit an address is not locked out, because behind a tunnel every visitor shares one address
 * and a lock-out would let anyone shut the owner out. Instead it gets one attempt at a time, each judged
 * after a penalty: guessing slows to one try per penalty, while the right token still gets in (and clears
 * the address's failures). Past the global cap, that one-at-a-time lane is shared by every address.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private allFailures: number[] = [];
  private readonly inFlight = new Map<string, number>();
  private readonly slowLane = new Set<string>();

  constructor(
    private readonly opts: {
      clock: Clock;
      perAddress: number;
      global: number;
      windowMs: number;
      penaltyMs: number;
    },
  ) {}

  /** Undefined: refused without looking at the token (another attempt of a limited address is in flight). */
  begin(address: string): LoginAttempt | undefined {
    const now = this.opts.clock.now();
    const fresh = (t: number) => now - t < this.opts.windowMs;
    const mine = (this.failures.get(address) ?? []).filter(fresh);
    this.allFailures = this.allFailures.filter(fresh);
    const globalOver = this.allFailures.length >= this.opts.global;
    const limited = globalOver || mine.length >= this.opts.perAddress;
    const lane = globalOver ? '*' : address;
    if (limited && ((this.inFlight.get(address) ?? 0) > 0 || this.slowLane.has(lane))) return undefined;
    if (limited) this.slowLane.add(lane);
    // Counted as failed until it proves otherwise.
    mine.push(now);
    this.failures.set(address, mine);
    this.allFailures.push(now);
    this.inFlight.set(address, (this.inFlight.get(address) ?? 0) + 1);
    let settled = false;
    return {
      limited,
      delayMs: limited ? this.opts.penaltyMs : 0,
      settle: (ok) => {
        if (settled) return;
        settled = true;
        if (limited) this.slowLane.delete(lane);
        const left = (this.inFlight.get(address) ?? 1) - 1;
        if (left > 0) this.inFlight.set(address, left);
        else this.inFlight.delete(address);
        if (!ok) return;
        this.failures.delete(address);
        const i = this.allFailures.lastIndexOf(now);
        if (i >= 0) this.allFailures.splice(i, 1);
      },
    };
  }
}

const RETRY_AFTER_S = 5;
const tooMany = (c: Context) =>
  c.json(
    new StudioError(429, 'rate_limited', 'Too many wrong tokens. Wait a little and try again.').toBody(),
    429,
    { 'Retry-After': String(RETRY_AFTER_S) },
  );

/**
 * POST /api/login {token}: exchanges APP_TOKEN for an HttpOnly, SameSite=Strict session cookie, so the
 * browser's EventSource and <video> (which cannot send headers) are authorised too.
 * POST /api/logout ends every session (it needs one, or the token). GET /api/session tells the SPA whether
 * this studio asks for a token at all, to show "Sign out" only where signing in exists.
 */
export function loginRoutes(deps: AppDeps) {
  const limiter = new LoginLimiter({
    clock: deps.clock,
    perAddress: 10,
    global: 100,
    windowMs: 60_000,
    penaltyMs: 1000,
  });
  // Behind an https tunnel the socket is plain http, so the request's own scheme cannot tell.
  const secure = (c: Context) =>
    deps.config.publicUrl?.startsWith('https:') === true || new URL(c.req.url).protocol === 'https:';
  return new Hono()
    .post('/login', async (c) => {
      const appToken = deps.config.appToken;
      const sessions = sessionsOf(deps);
      if (!appToken || !sessions) return c.json({ ok: true, required: false });
      const attempt = limiter.begin(clientIdOf(c, deps.config.trustProxy));
      if (!attempt) return tooMany(c);
      let ok = false;
      try {
        const parsed = loginSchema.safeParse(await readJsonBody(c, 4096));
        if (attempt.delayMs) await sleep(attempt.delayMs);
        ok = parsed.success && safeEqual(parsed.data.token, appToken);
      } finally {
        attempt.settle(ok);
      }
      if (!ok) {
        if (attempt.limited) return tooMany(c);
        throw new StudioError(401, 'app_token_invalid', 'That access token is not right.');
      }
      setCookie(c, SESSION_COOKIE, sessions.issue(), {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        secure: secure(c),
        maxAge: sessions.maxAgeS,
      });
      return c.json({ ok: true, required: true });
    })
    .post('/logout', (c) => {
      const sessions = sessionsOf(deps);
      if (!sessions) return c.json({ ok: true, required: false });
      sessions.revokeAll();
      deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: 'Strict', path: '/', secure: secure(c) });
      deps.log.info('signed out: every session revoked');
      return c.json({ ok: true, required: true });
    })
    .get('/session', (c) => c.json({ required: sessionsOf(deps) !== undefined }));
}
