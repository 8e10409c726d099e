import type { Server, ServerOptions } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Config } from '../config/config.ts';

/**
 * The Node server options the studio listens with. Node's defaults keep a request that never finishes
 * for 300 s; a stalled upload would hold its socket (and what it sent) that long. Node checks the timeouts
 * every `connectionsCheckingInterval` (30 s by default), so a timeout of 60 s would really be 60–90 s;
 * checking a quarter as often bounds the overshoot to a quarter.
 */
export function studioServerOptions(
  http: Pick<Config['http'], 'requestTimeoutMs' | 'headersTimeoutMs'>,
): ServerOptions {
  const shortest = Math.min(http.requestTimeoutMs, http.headersTimeoutMs);
  return {
    requestTimeout: http.requestTimeoutMs,
    headersTimeout: http.headersTimeoutMs,
    connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(shortest / 4))),
  };
}

/** Serves `app` on `hostname:port` with the studio's timeouts; resolves once listening. */
export function listenStudio(
  app: Pick<Hono, 'fetch'>,
  opts: {
    port: number;
    hostname: string;
    http: Pick<Config['http'], 'requestTimeoutMs' | 'headersTimeoutMs'>;
  },
): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: opts.port,
        hostname: opts.hostname,
        serverOptions: studioServerOptions(opts.http),
      },
      () => resolve(s as Server),
    ) as Server;
    s.once('error', reject);
  });
}
