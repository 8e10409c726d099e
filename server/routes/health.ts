import { Hono } from 'hono';
import type { Health } from '../../contract/schemas/studio-api.ts';
import type { AppDeps } from './app-deps.ts';

/** GET /api/health: alive, and which upstream (real Kling or the simulator) tasks go to. */
export function healthRoutes(deps: AppDeps) {
  return new Hono().get('/', (c) => {
    const body: Health = { ok: true, upstream: { kind: deps.upstream.kind, baseUrl: deps.upstream.baseUrl } };
    return c.json(body);
  });
}
