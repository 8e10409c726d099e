import { isIPv4 } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { StudioError } from '../lib/studio-error.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * 127/8 counts only as an IPv4 literal: `127.0.0.1.nip.io` is an ordinary DNS name an attacker's page can
 * live on and rebind to 127.0.0.1, so a prefix test would let it in.
 */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || (isIPv4(host) && host.startsWith('127.'));
}

/**
 * DNS-rebinding guard for a studio bound to loopback: a web page on evil.example that re-points its name at
 * 127.0.0.1 reaches the port, but its requests still say `Host: evil.example`. Only loopback names and the
 * PUBLIC_URL host (the tunnel Kling's callbacks arrive through) are answered. Off when bound elsewhere.
 */
export function hostGuard(opts: { bindHost: string; publicUrl: string | undefined }): MiddlewareHandler {
  const active = isLoopbackHost(opts.bindHost);
  const publicHost = opts.publicUrl ? new URL(opts.publicUrl).hostname.toLowerCase() : undefined;
  return async (c, next) => {
    if (!active) return next();
    const raw = c.req.header('host') ?? new URL(c.req.url).host;
    const host = raw.replace(/:\d+$/, '').toLowerCase();
    if (isLoopbackHost(host) || host === publicHost) return next();
    // Answered here rather than thrown: this guard also fronts the SPA files, outside /api's handlers.
    return c.json(
      new StudioError(400, 'host_not_allowed', 'This studio only answers on its own address.').toBody(),
      400,
    );
  };
}
