import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { clientAddress, type TrustedProxies, trustedProxies } from './client-address.ts';

const compiled = new WeakMap<readonly string[], TrustedProxies>();

/** TRUST_PROXY compiled once per config (the list is the config's own array). */
function trustedOf(trustProxy: readonly string[]): TrustedProxies {
  let t = compiled.get(trustProxy);
  if (!t) {
    t = trustedProxies(trustProxy);
    compiled.set(trustProxy, t);
  }
  return t;
}

/**
 * Who is asking, for every per-client limit (creates, logins, event streams): the socket's peer, or behind
 * a proxy listed in TRUST_PROXY the client that proxy names in X-Forwarded-For (client-address.ts). A
 * header from anyone else is ignored: sockets cannot be forged, headers can.
 */
export function clientIdOf(c: Context, trustProxy: readonly string[]): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    // app.request() in unit tests has no socket.
    return 'local';
  }
  return clientAddress(peer, c.req.header('x-forwarded-for'), trustedOf(trustProxy));
}
