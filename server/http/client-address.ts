/**
 * Who the client is when the studio sits behind load balancers (TRUST_PROXY). Pure: no sockets, no headers
 * object, so every spoofing case is a plain function call in the tests.
 *
 * The rule (the usual one for X-Forwarded-For): each proxy appends the address it received the request
 * from, so the header reads left to right from the client towards the studio. Only what a trusted hop
 * wrote is believed: walking from the right, the first address that is not a trusted proxy is the client;
 * everything left of it was written by that client and proves nothing. A peer that is not trusted is the
 * client itself, whatever header it sends.
 */
import {
  type Address,
  formatAddress,
  inRange,
  parseAddress,
  parseRange,
  trustProxyEntryProblem,
} from '../lib/ip-address.ts';

/** The compiled TRUST_PROXY list. */
export interface TrustedProxies {
  /** `address` (any form the studio reads) is one of the listed proxies. */
  has(address: string): boolean;
  readonly empty: boolean;
}

/**
 * An X-Forwarded-For entry: an address, also as some proxies write it with a port (`10.0.0.1:4711`,
 * `[2001:db8::1]:443`) or bracketed. Anything else (`unknown`, an obfuscated name, garbage) is undefined.
 */
function parseForwarded(entry: string): Address | undefined {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::[0-9]{1,5})?$/.exec(text);
  if (bracketed) return parseAddress(bracketed[1]!);
  const v4WithPort = /^([0-9.]+):[0-9]{1,5}$/.exec(text);
  if (v4WithPort) return parseAddress(v4WithPort[1]!);
  return parseAddress(text);
}

/** Compiles TRUST_PROXY's entries; throws on an entry the config should already have refused. */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const ranges = entries.map((e) => {
    const r = parseRange(e.trim());
    if (!r) throw new Error(`TRUST_PROXY: ${trustProxyEntryProblem(e)}`);
    return r;
  });
  const matches = (a: Address) => ranges.some((r) => inRange(a.bytes, r));
  return {
    empty: ranges.length === 0,
    has: (address) => {
      const a = parseAddress(address);
      return !!a && matches(a);
    },
  };
}

/**
 * The client of one request: `peer` (the socket's remote address) unless it is a trusted proxy; then the
 * right-most X-Forwarded-For address that is not trusted, or the left-most when every one is. A malformed
 * entry ends the walk: what lies left of it cannot be attributed, so the hop that handed it on (a trusted
 * proxy) stands for the client, which only ever lumps clients together, never lets one pose as another.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: TrustedProxies,
): string {
  const peerAddress = peer === undefined ? undefined : parseAddress(peer);
  // An unparseable peer (no socket in a test) is kept as written: it still names one client.
  if (!peerAddress) return peer ?? 'unknown';
  let client = peerAddress;
  if (trusted.empty || !trusted.has(peer!) || !forwardedFor) return formatAddress(client);
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseForwarded(hops[i]!);
    if (!hop) break;
    client = hop;
    if (!trusted.has(formatAddress(hop))) break;
  }
  return formatAddress(client);
}
