import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { hostGuard } from '../http/host-guard.ts';
import { CONTENT_SECURITY_POLICY, securityHeaders } from '../http/security-headers.ts';
import { mountSpa } from './serve-spa.ts';

function spa(withBuild = true) {
  const root = mkdtempSync(join(tmpdir(), 'ms-dist-'));
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(root, 'secret.txt'), 'outside dist');
  if (withBuild) {
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
    writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
  }
  const app = new Hono();
  app.use('*', securityHeaders());
  app.use('*', hostGuard({ bindHost: '127.0.0.1', publicUrl: 'https://studio.example.com' }));
  app.get('/api/health', (c) => c.json({ ok: true }));
  mountSpa(app, dist);
  return app;
}

describe('SPA serving', () => {
  it('serves index.html for client routes, with security headers', async () => {
    const app = spa();
    for (const path of ['/', '/tasks/abc', '/compare?a=1']) {
      const res = await app.request(`http://127.0.0.1:8787${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('id="root"');
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("img-src 'self' blob: data:");
    expect(CONTENT_SECURITY_POLICY).toContain("media-src 'self' blob:");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
  });

  it('serves hashed assets for a year and refuses what is outside dist/', async () => {
    const app = spa();
    const js = await app.request('http://localhost/assets/app-1234.js');
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await app.request('http://localhost/favicon.svg')).headers.get('content-type')).toBe(
      'image/svg+xml',
    );
    expect((await app.request('http://localhost/assets/missing.js')).status).toBe(404);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt']) {
      const res = await app.request(`http://localhost${path}`);
      expect(await res.text()).not.toContain('outside dist');
    }
  });

  it('says how to build when dist/ is missing', async () => {
    const res = await spa(false).request('http://localhost/');
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build/);
  });

  it('answers only on its own names when bound to loopback (DNS rebinding)', async () => {
    const app = spa();
    const ok = ['127.0.0.1:8787', 'localhost:8787', '[::1]:8787', 'studio.example.com'];
    for (const host of ok)
      expect((await app.request('http://x/api/health', { headers: { host } })).status, host).toBe(200);
    const evil = await app.request('http://x/api/health', { headers: { host: 'attacker.example:8787' } });
    expect(evil.status).toBe(400);
  });
});
