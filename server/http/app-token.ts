import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Config } from '../config/config.ts';
import type { Clock } from '../lib/clock.ts';
import { StudioError } from '../lib/studio-error.ts';

export const SESSION_COOKIE = 'ms_session';
const SALT_FILE = 'session-salt';
/** Issue times a little ahead of the server's clock (a clock step back) are still fine. */
const CLOCK_SKEW_S = 60;

/**
 * Digests first, so the comparison takes the same path whatever the lengths: comparing the strings
 * themselves would return early on a length mismatch and tell a guesser how long the token is.
 */
export function safeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export interface Sessions {
  /** A new cookie value: its issue time and an HMAC over it, the current salt and APP_TOKEN. */
  issue(): string;
  /** A cookie value this server issued, under the current salt, no older than the maximum age. */
  verify(value: string | undefined): boolean;
  /** Every session issued so far stops working (logout): the salt is replaced, on disk too. */
  revokeAll(): void;
  readonly maxAgeS: number;
}

/**
 * Sessions are stateless cookies `<issuedAt>.<hmac>`; what makes them revocable is a random salt kept in
 * DATA_DIR (mode 0600). A restart reads the same salt, so it neither signs everyone out nor brings a
 * revoked cookie back; logging out writes a new one. The HMAC is keyed by APP_TOKEN, so a cookie never
 * reveals the token and a new token ends every session as well.
 */
export function createSessions(opts: {
  appToken: string;
  dataDir: string;
  clock: Clock;
  maxAgeS: number;
}): Sessions {
  const path = join(opts.dataDir, SALT_FILE);
  let salt: string | undefined;
  const writeSalt = () => {
    const fresh = randomBytes(32).toString('hex');
    mkdirSync(opts.dataDir, { recursive: true });
    // Written aside and renamed, so a crash mid-write never leaves a torn salt behind.
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, fresh, { mode: 0o600 });
    renameSync(tmp, path);
    return fresh;
  };
  const currentSalt = () => {
    if (salt !== undefined) return salt;
    try {
      const stored = readFileSync(path, 'utf8').trim();
      salt = /^[0-9a-f]{64}$/.test(stored) ? stored : writeSalt();
    } catch {
      salt = writeSalt();
    }
    return salt;
  };
  const mac = (issuedAt: string) =>
    createHmac('sha256', opts.appToken)
      .update(`motion-studio session v2\n${currentSalt()}\n${issuedAt}`)
      .digest('base64url');
  const nowS = () => Math.floor(opts.clock.now() / 1000);
  return {
    maxAgeS: opts.maxAgeS,
    issue() {
      const issuedAt = String(nowS());
      return `${issuedAt}.${mac(issuedAt)}`;
    },
    verify(value) {
      const m = value === undefined ? null : /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value);
      if (!m) return false;
      const [, issuedAt = '', sig = ''] = m;
      const age = nowS() - Number(issuedAt);
      // The HMAC is checked whatever the age, so an expired cookie costs the same as a forged one.
      const genuine = safeEqual(sig, mac(issuedAt));
      return genuine && age >= -CLOCK_SKEW_S && age <= opts.maxAgeS;
    },
    revokeAll() {
      salt = writeSalt();
    },
  };
}

// One Sessions per app (the auth middleware and the login routes share it), found by the app's config.
const sessionsByConfig = new WeakMap<Config, Sessions>();
export function sessionsOf(deps: { config: Config; clock: Clock }): Sessions | undefined {
  const { config } = deps;
  if (!config.appToken) return undefined;
  let s = sessionsByConfig.get(config);
  if (!s) {
    s = createSessions({
      appToken: config.appToken,
      dataDir: config.dataDir,
      clock: deps.clock,
      maxAgeS: config.sessionMaxAgeS,
    });
    sessionsByConfig.set(config, s);
  }
  return s;
}

/**
 * Paths open without the token: Kling's callback (it carries its own per-task secret), the login itself,
 * the signed link Kling downloads a reference video from (`/api/uploads/<id>/<task>/<sig>/<file>`), and
 * the load balancers' readiness check.
 */
export const PUBLIC_API_PATHS = [
  // Load balancers ask it without a token; it answers ready or not, and why, nothing else.
  /^\/api\/ready$/,
  /^\/api\/callbacks\/kling\//,
  /^\/api\/login$/,
  /^\/api\/uploads\/[^/]+\/[^/]+\/[^/]+\/[^/]+$/,
];

export function isAuthorized(c: Context, appToken: string, sessions: Sessions): boolean {
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
  if (bearer && safeEqual(bearer, appToken)) return true;
  return sessions.verify(getCookie(c, SESSION_COOKIE));
}

/** With APP_TOKEN set, every /api route but the public ones needs the bearer token or a live session cookie. */
export function requireAppToken(deps: { config: Config; clock: Clock }): MiddlewareHandler {
  return async (c, next) => {
    const appToken = deps.config.appToken;
    const sessions = sessionsOf(deps);
    if (!appToken || !sessions || PUBLIC_API_PATHS.some((re) => re.test(c.req.path))) return next();
    if (!isAuthorized(c, appToken, sessions))
      throw new StudioError(401, 'app_token_required', 'This studio needs its access token. Sign in first.');
    return next();
  };
}
