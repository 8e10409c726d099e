import { Hono } from 'hono';
import type { Readiness } from '../../contract/schemas/studio-api.ts';
import type { AppDeps } from './app-deps.ts';
import { databaseReachable } from './health.ts';

/**
 * GET /api/ready, for load balancers: 200 while this replica can serve, 503 with the reason while it cannot
 * (still starting, shutting down, or its database does not answer), so traffic moves to the other replicas.
 * Open without APP_TOKEN (a balancer has no token) and says nothing but that.
 */
export function readyRoutes(deps: AppDeps) {
  return new Hono().get('/', async (c) => {
    c.header('cache-control', 'no-store');
    const notReady = (reason: string) => c.json({ ready: false, reason } satisfies Readiness, 503);
    if (deps.lifecycle.stopping) return notReady('shutting down');
    if (!deps.lifecycle.started) return notReady('starting');
    if (!(await databaseReachable(deps))) return notReady('database unreachable');
    // Asked again after the ping: a shutdown may have begun while it was in flight.
    if (deps.lifecycle.stopping) return notReady('shutting down');
    return c.json({ ready: true } satisfies Readiness);
  });
}
