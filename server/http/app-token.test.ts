import { describe, expect, it } from 'vitest';
import { withStudio } from '../testing/studio-harness.ts';
import { PUBLIC_API_PATHS } from './app-token.ts';

/**
 * Walks the app's own route table, so a route added later is covered without touching this test: every
 * /api route but Kling's callback refuses a request without APP_TOKEN.
 */
const TOKEN = 'app-token-for-tests-0123456789';
const ctx = withStudio({ env: { APP_TOKEN: TOKEN } });

/** Every (method, concrete path) in the route table under /api. */
function apiRoutes(): { method: string; path: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  for (const r of ctx.studio.app.routes) {
    if (!r.path.startsWith('/api')) continue;
    const path = r.path
      .replace(':id', '00000000-0000-4000-8000-000000000000')
      .replace(':name', 'image')
      .replace(':token', 'some-token')
      .replace(':taskId', '00000000-0000-4000-8000-000000000001')
      .replace(':sig', 'A'.repeat(43))
      .replace(':file', 'reference.mp4')
      .replace('*', 'anything');
    const method = r.method === 'ALL' ? 'GET' : r.method;
    const key = `${method} ${path}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ method, path });
    }
  }
  return out;
}

const call = (method: string, path: string, headers: Record<string, string> = {}) =>
  ctx.studio.fetch(path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{}' }),
  });

describe('APP_TOKEN', () => {
  it('every /api route except the callback refuses a request without the token', async () => {
    const routes = apiRoutes();
    // The walk must actually cover the API (health, capabilities, login, tasks ×7, events, callbacks…).
    expect(routes.length).toBeGreaterThanOrEqual(12);
    for (const { method, path } of routes) {
      const res = await call(method, path);
      const body = await res.json();
      if (PUBLIC_API_PATHS.some((re) => re.test(path))) {
        // Open, and (but for the readiness answer) still refusing a request that proves nothing.
        if (path === '/api/ready') expect(body, `${method} ${path}`).toEqual({ ready: true });
        else expect(res.status, `${method} ${path}`).not.toBe(200);
        continue;
      }
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(body.error.code, `${method} ${path}`).toBe('app_token_required');
      const wrong = await call(method, path, { authorization: 'Bearer not-the-token-at-all' });
      expect(wrong.status, `${method} ${path} with a wrong token`).toBe(401);
      await wrong.body?.cancel();
    }
  });

  it('the only public routes are the callback, the login, the signed upload link and readiness, and the login refuses a wrong token', async () => {
    const publicOnes = apiRoutes().filter(({ path }) => PUBLIC_API_PATHS.some((re) => re.test(path)));
    expect(publicOnes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      // Kling downloads a reference video by a link that carries its own signature (routes/uploads.ts).
      // A load balancer asks without a token (routes/ready.ts).
      'GET /api/ready',
      'GET /api/uploads/00000000-0000-4000-8000-000000000000/00000000-0000-4000-8000-000000000001/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/reference.mp4',
      'POST /api/callbacks/kling/some-token',
      'POST /api/login',
    ]);
    const res = await ctx.studio.fetch('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'guess' }),
    });
    expect(res.status).toBe(401);
  });

  it('a bearer token or the login cookie opens the API', async () => {
    const bearer = await ctx.studio.fetch('/api/tasks', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.status).toBe(200);
    await bearer.body?.cancel();

    const login = await ctx.studio.fetch('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TOKEN }),
    });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    // The cookie is derived from the token, never the token itself.
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0]!;
    const withCookie = await ctx.studio.fetch('/api/health', { headers: { cookie } });
    expect(withCookie.status).toBe(200);
    const events = await ctx.studio.fetch('/api/events', { headers: { cookie } });
    expect(events.status).toBe(200);
    await events.body?.cancel();
  });
});
