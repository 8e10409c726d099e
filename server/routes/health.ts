import { Hono } from 'hono';
import type { Health } from '../../contract/schemas/studio-api.ts';
import type { AppDeps } from './app-deps.ts';

/** How long a ping may take before the database counts as unreachable (a hung pool must not hang health). */
export const PING_TIMEOUT_MS = 2000;

/** `store.ping()`, false when it throws or does not answer in time. */
export async function databaseReachable(deps: Pick<AppDeps, 'store'>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([deps.store.ping().catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /api/health: alive (`ok` is true whenever the process answers), which upstream tasks go to, and what
 * this replica runs on: its name, the store and file storage kinds, and whether the database answers now.
 */
export function healthRoutes(deps: AppDeps) {
  return new Hono().get('/', async (c) => {
    const body: Health = {
      ok: true,
      upstream: { kind: deps.upstream.kind, baseUrl: deps.upstream.baseUrl },
      replica: deps.config.cluster.replicaId,
      store: deps.store.kind,
      storage: deps.config.s3 ? 's3' : 'local',
      database: { reachable: await databaseReachable(deps) },
    };
    c.header('cache-control', 'no-store');
    return c.json(body);
  });
}
