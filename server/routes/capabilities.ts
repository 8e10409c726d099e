import { Hono } from 'hono';
import { MODELS } from '../../contract/capabilities/matrix.ts';
import { LIMITS } from '../../contract/limits.ts';

/** GET /api/capabilities: the contract's capability map and limits, as data (the web also bundles them). */
export function capabilitiesRoutes() {
  return new Hono().get('/', (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json({ models: MODELS, limits: LIMITS });
  });
}
