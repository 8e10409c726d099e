/**
 * The studio's HTTP app, without a listening socket (main.ts listens; tests call createApp directly).
 *
 * Why Hono on @hono/node-server: it is fetch-native, so routes speak the same Request/Response and Web
 * Streams as the browser code and the simulator; it is small and typed, with per-resource routers, SSE
 * streaming and cookie helpers built in; and it runs on plain Node with no framework plugin system to
 * learn. Fastify would serve equally well, but brings a second request model to a codebase that is
 * otherwise fetch-shaped end to end.
 */
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { requireAppToken } from './http/app-token.ts';
import { hostGuard } from './http/host-guard.ts';
import { securityHeaders } from './http/security-headers.ts';
import type { Logger } from './lib/logger.ts';
import { StudioError } from './lib/studio-error.ts';
import type { AppDeps } from './routes/app-deps.ts';
import { callbackRoutes } from './routes/callbacks.ts';
import { capabilitiesRoutes } from './routes/capabilities.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { imageCheckRoutes } from './routes/image-check.ts';
import { loginRoutes } from './routes/login.ts';
import { motionControlRoutes } from './routes/motion-control.ts';
import { queueRoutes } from './routes/queue.ts';
import { readyRoutes } from './routes/ready.ts';
import { taskFileRoutes } from './routes/task-files.ts';
import { taskRoutes } from './routes/tasks.ts';
import { uploadRoutes } from './routes/uploads.ts';

export type { AppDeps } from './routes/app-deps.ts';

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    const started = Date.now();
    await next();
    // Paths only (no query, no bodies); callback tokens in paths are redacted by the logger.
    deps.log.debug('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Date.now() - started,
    });
  });
  app.use('*', securityHeaders());
  app.use('*', hostGuard({ bindHost: deps.config.host, publicUrl: deps.config.publicUrl }));
  app.use('/api/*', requireAppToken(deps));

  app.route('/api/health', healthRoutes(deps));
  app.route('/api/ready', readyRoutes(deps));
  app.route('/api/capabilities', capabilitiesRoutes(deps.config));
  app.route('/api', loginRoutes(deps));
  app.route('/api/tasks', taskRoutes(deps));
  app.route('/api/tasks', taskFileRoutes(deps));
  app.route('/api/uploads', uploadRoutes(deps));
  app.route('/api/image-check', imageCheckRoutes(deps));
  app.route('/api/motion-control', motionControlRoutes(deps));
  app.route('/api/queue', queueRoutes(deps));
  app.route('/api/events', eventRoutes(deps));
  app.route('/api/callbacks', callbackRoutes(deps));
  // Unknown /api paths answer JSON, never the SPA's index.html.
  app.all('/api/*', () => {
    throw new StudioError(404, 'not_found', 'No such API route');
  });

  app.onError((err, c) => {
    const e = toStudioError(err, deps.log, `${c.req.method} ${c.req.path}`);
    return c.json(e.toBody(), e.status as ContentfulStatusCode);
  });
  app.notFound((c) => c.json(new StudioError(404, 'not_found', 'Not found').toBody(), 404));
  return app;
}

/** StudioErrors pass through; anything else is a bug: logged (redacted) and answered as a bare 500. */
function toStudioError(err: unknown, log: Logger, where: string): StudioError {
  if (err instanceof StudioError) {
    if (err.status >= 500) log.warn('request failed', { where, code: err.code, message: err.message });
    return err;
  }
  log.error('unexpected error', { where, error: err, stack: err instanceof Error ? err.stack : undefined });
  return new StudioError(
    500,
    'internal',
    'Something went wrong in the studio. Try again; if it keeps happening, the server log has the details.',
  );
}
