import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../lib/clock.ts';
import { rawConnect } from '../testing/raw-http.ts';
import { type Studio, startStudio, tempDir, withSim } from '../testing/studio-harness.ts';
import { LoginLimiter } from './login.ts';

const TOKEN = 'app-token-for-login-tests-0123456789';
const ctx = withSim();

const json = { 'content-type': 'application/json' };
const login = (studio: Studio, token: string) =>
  studio.fetch('/api/login', { method: 'POST', headers: json, body: JSON.stringify({ token }) });
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
const status = async (studio: Studio, headers: Record<string, string>) => {
  const res = await studio.fetch('/api/tasks', { headers });
  await res.body?.cancel();
  return res.status;
};

async function withStudio(
  env: Record<string, string>,
  fn: (studio: Studio) => Promise<void>,
  opts: Parameters<typeof startStudio>[1] = {},
) {
  const studio = await startStudio(ctx.sim, { ...opts, env: { APP_TOKEN: TOKEN, ...env } });
  try {
    await fn(studio);
  } finally {
    await studio.close();
  }
}

/** A login whose headers go now and whose body goes when `sendBody` is called; `status` is its answer's. */
async function lateLogin(url: string, token: string) {
  const body = JSON.stringify({ token });
  const x = await rawConnect(url);
  await x.send(
    `POST /api/login HTTP/1.1\r\nHost: ${new URL(url).host}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
  );
  const status = x.head.then(({ status }) => {
    x.socket.destroy();
    return status;
  });
  return { status, sendBody: () => x.socket.writable && x.socket.write(body) };
}

describe('login limiter (route)', () => {
  it('counts logins whose bodies arrive late: of 15 at once, 10 are compared and the rest get 429', async () => {
    await withStudio({}, async (studio) => {
      const logins = await Promise.all(
        Array.from({ length: 15 }, (_, i) => lateLogin(studio.url, `guess-${i}-xxxxxxxx`)),
      );
      // Every request's headers are in before any body is.
      await new Promise((r) => setTimeout(r, 400));
      for (const l of logins) l.sendBody();
      const statuses = await Promise.all(logins.map((l) => l.status));
      expect(statuses.filter((s) => s === 401)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    });
  });

  it('never locks out the right token: 10 wrong from the same address, then the right one gets in', async () => {
    await withStudio({}, async (studio) => {
      for (let i = 0; i < 10; i++) expect((await login(studio, `wrong-${i}`)).status).toBe(401);
      const wrong = await login(studio, 'wrong-again');
      expect(wrong.status).toBe(429);
      expect(wrong.headers.get('retry-after')).toMatch(/^\d+$/);
      const right = await login(studio, TOKEN);
      expect(right.status).toBe(200);
      expect(await status(studio, { cookie: cookieOf(right) })).toBe(200);
      // The right token cleared the address's failures: the next mistake is an ordinary 401.
      expect((await login(studio, 'a-typo')).status).toBe(401);
    });
  });
});

describe('LoginLimiter', () => {
  const limiter = (global = 100) => {
    const clock = manualClock(1_000_000);
    return { clock, l: new LoginLimiter({ clock, perAddress: 3, global, windowMs: 60_000, penaltyMs: 500 }) };
  };

  it('beyond the limit, lets one attempt at a time through, after a penalty', () => {
    const { clock, l } = limiter();
    for (let i = 0; i < 3; i++) l.begin('a')?.settle(false);
    const first = l.begin('a');
    expect(first).toMatchObject({ limited: true, delayMs: 500 });
    // A second one while the first is still being judged is refused without a comparison.
    expect(l.begin('a')).toBeUndefined();
    // Other addresses are not affected.
    expect(l.begin('b')).toMatchObject({ limited: false, delayMs: 0 });
    first?.settle(false);
    expect(l.begin('a')).toMatchObject({ limited: true });
    clock.advance(60_001);
    expect(l.begin('c')).toMatchObject({ limited: false });
  });

  it('forgets an address’s failures when the right token arrives', () => {
    const { l } = limiter();
    for (let i = 0; i < 3; i++) l.begin('a')?.settle(false);
    l.begin('a')?.settle(true);
    expect(l.begin('a')).toMatchObject({ limited: false });
  });

  it('counts an attempt when it starts, not when its body has been read', () => {
    const { l } = limiter();
    const pending = [l.begin('a'), l.begin('a'), l.begin('a')];
    expect(pending.every(Boolean)).toBe(true);
    expect(l.begin('a')).toBeUndefined();
  });

  it('a global cap on failures limits every address once many have failed', () => {
    const { l } = limiter(5);
    for (const a of ['a', 'b', 'c', 'd', 'e']) l.begin(a)?.settle(false);
    const f = l.begin('f');
    expect(f).toMatchObject({ limited: true });
    // While one limited attempt is being judged, no address gets another.
    expect(l.begin('g')).toBeUndefined();
  });
});

describe('session cookie', () => {
  it('is Secure when PUBLIC_URL is https, and not when it is plain http', async () => {
    await withStudio({ PUBLIC_URL: 'https://studio.example.com' }, async (studio) => {
      const setCookie = (await login(studio, TOKEN)).headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/; Secure/);
      expect(setCookie).toMatch(/Max-Age=2592000/);
    });
    await withStudio({ PUBLIC_URL: 'http://127.0.0.1:9' }, async (studio) => {
      expect((await login(studio, TOKEN)).headers.get('set-cookie')).not.toMatch(/Secure/);
    });
  });

  it('is refused by the server once older than SESSION_MAX_AGE_S', async () => {
    const clock = manualClock(Date.now());
    await withStudio(
      { SESSION_MAX_AGE_S: '3600' },
      async (studio) => {
        const res = await login(studio, TOKEN);
        expect(res.headers.get('set-cookie')).toMatch(/Max-Age=3600/);
        const cookie = cookieOf(res);
        clock.advance(3599_000);
        expect(await status(studio, { cookie })).toBe(200);
        clock.advance(2_000);
        expect(await status(studio, { cookie })).toBe(401);
        // The token itself is not a session: it keeps working.
        expect(await status(studio, { authorization: `Bearer ${TOKEN}` })).toBe(200);
      },
      { clock },
    );
  });

  it('carries no forgeable issue time: an edited timestamp is refused', async () => {
    await withStudio({}, async (studio) => {
      const cookie = cookieOf(await login(studio, TOKEN));
      const [name, value] = cookie.split('=') as [string, string];
      const edited = value.replace(/^\d+/, (t) => String(Number(t) + 1000));
      expect(edited).not.toBe(value);
      expect(await status(studio, { cookie: `${name}=${edited}` })).toBe(401);
    });
  });

  it('POST /api/logout revokes every session and clears the cookie; the bearer token and a new login still work', async () => {
    await withStudio({}, async (studio) => {
      const a = cookieOf(await login(studio, TOKEN));
      const b = cookieOf(await login(studio, TOKEN));
      expect(await status(studio, { cookie: a })).toBe(200);
      const session = await studio.fetch('/api/session', { headers: { cookie: a } });
      expect(await session.json()).toEqual({ required: true });

      const out = await studio.fetch('/api/logout', { method: 'POST', headers: { cookie: a } });
      expect(out.status).toBe(200);
      expect(out.headers.get('set-cookie')).toMatch(/^ms_session=;.*Max-Age=0/);
      expect(await status(studio, { cookie: a })).toBe(401);
      expect(await status(studio, { cookie: b })).toBe(401);
      expect(await status(studio, { authorization: `Bearer ${TOKEN}` })).toBe(200);

      const again = cookieOf(await login(studio, TOKEN));
      expect(await status(studio, { cookie: again })).toBe(200);
      // Logging out needs a session or the token: a stranger cannot sign everyone out.
      expect((await studio.fetch('/api/logout', { method: 'POST' })).status).toBe(401);
      expect(await status(studio, { cookie: again })).toBe(200);
    });
  });

  it('survives a restart on the same DATA_DIR, and a revoked one stays revoked', async () => {
    const dataDir = tempDir('login-restart');
    const kept = await (async () => {
      let cookie = '';
      let revoked = '';
      await withStudio(
        {},
        async (studio) => {
          revoked = cookieOf(await login(studio, TOKEN));
          await studio.fetch('/api/logout', { method: 'POST', headers: { cookie: revoked } });
          cookie = cookieOf(await login(studio, TOKEN));
        },
        { dataDir },
      );
      return { cookie, revoked };
    })();
    // The salt is a secret: only the studio's user may read it.
    const files = ['session-salt'].map((f) => statSync(join(dataDir, f)));
    expect((files[0]?.mode ?? 0) & 0o077).toBe(0);
    await withStudio(
      {},
      async (studio) => {
        expect(await status(studio, { cookie: kept.cookie })).toBe(200);
        expect(await status(studio, { cookie: kept.revoked })).toBe(401);
      },
      { dataDir },
    );
  });

  it('without APP_TOKEN, the session answer says no sign-in is needed and logout is a no-op', async () => {
    const studio = await startStudio(ctx.sim);
    try {
      expect(await (await studio.fetch('/api/session')).json()).toEqual({ required: false });
      expect((await studio.fetch('/api/logout', { method: 'POST' })).status).toBe(200);
    } finally {
      await studio.close();
    }
  });
});
