import { existsSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { Hono } from 'hono';
import { fileResponse } from '../http/file-response.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.mp4': 'video/mp4',
};

/**
 * Serves the built SPA from `distDir`: real files as they are (hashed /assets/* cached for a year), and
 * index.html for any other GET, so client-side routes survive a reload. Mounted after createApp's /api
 * routes, so /api never falls through to HTML.
 */
export function mountSpa(app: Hono, distDir: string): void {
  const root = normalize(distDir);
  const index = join(root, 'index.html');
  app.get('*', async (c) => {
    if (!existsSync(index))
      return c.text(
        'The studio UI is not built yet: run `npm run build` (`npm start` builds it for you).',
        503,
      );
    let rel: string;
    try {
      rel = decodeURIComponent(c.req.path);
    } catch {
      return c.text('Bad path', 400);
    }
    const candidate = normalize(join(root, rel));
    const inside = candidate.startsWith(root + sep);
    const ext = extname(candidate);
    if (inside && ext && TYPES[ext] && existsSync(candidate))
      return fileResponse(candidate, {
        contentType: TYPES[ext],
        cacheControl: rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
    if (ext && ext !== '.html') return c.text('Not found', 404);
    return fileResponse(index, { contentType: TYPES['.html']!, cacheControl: 'no-cache' });
  });
}
