import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** Who is creating, for the per-client rate limit: the peer address (headers can be forged; sockets not). */
export function clientIdOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in unit tests has no socket.
    return 'local';
  }
}
