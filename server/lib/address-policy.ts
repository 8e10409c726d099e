import { BlockList, isIP } from 'node:net';

/**
 * Addresses a server-side fetch must never reach on a creator's say-so: loopback, private networks,
 * link-local (cloud metadata lives at 169.254.169.254), carrier NAT, multicast and reserved ranges.
 * Otherwise a pasted "image URL" could read the studio's own API, the simulator or the host's network.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
/**
 * IPv6: only global unicast (2000::/3) is fetched, minus its special-purpose blocks. Everything outside it
 * is refused outright, which covers loopback, `::/96` (IPv4-compatible), SIIT `::ffff:0:0:0/96`, NAT64
 * `64:ff9b::/96` and `64:ff9b:1::/48` (a gateway reaches whatever IPv4 the address embeds, private or not),
 * unique-local, link-local, multicast and whatever gets assigned later. IPv4-mapped `::ffff:a.b.c.d` is the
 * one exception: a dual-stack socket connects to that IPv4 address itself, so it is judged as IPv4.
 */
const blockedGlobal = new BlockList();
for (const [net, prefix] of [
  ['2001::', 23], // IETF protocol assignments: Teredo (tunnels to any IPv4), ORCHID, benchmarking…
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: bits 16-47 are an IPv4 address, private ones included
  ['3fff::', 20], // documentation
] as const)
  blockedGlobal.addSubnet(net, prefix, 'ipv6');

/** The eight 16-bit groups of a valid IPv6 literal, in any spelling (`::`, a dotted tail, a zone). */
function ipv6Groups(address: string): number[] {
  let s = address.toLowerCase().replace(/%.*$/, '');
  const tail: number[] = [];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    s = s.slice(0, -dotted[0].length);
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const [headPart = '', restPart] = s.split('::');
  const parse = (part: string) => (part ? part.split(':').map((h) => Number.parseInt(h, 16)) : []);
  const head = parse(headPart);
  const rest = restPart === undefined ? [] : parse(restPart);
  const zeros = 8 - head.length - rest.length - tail.length;
  return [...head, ...Array<number>(Math.max(0, zeros)).fill(0), ...rest, ...tail];
}

function isBlockedIpv6(address: string): boolean {
  const g = ipv6Groups(address);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const [hi = 0, lo = 0] = g.slice(6);
    return blocked.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  if (((g[0] ?? 0) & 0xe000) !== 0x2000) return true;
  return blockedGlobal.check(g.map((x) => x.toString(16)).join(':'), 'ipv6');
}

/** True when an IP literal is one a fetch on a creator's behalf must refuse. Non-IPs count as blocked. */
export function isBlockedAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, 'ipv4');
  if (family === 6) return isBlockedIpv6(bare);
  return true;
}
