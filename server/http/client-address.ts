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

/** An address as 4 (IPv4) or 16 (IPv6) bytes; IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is stored as IPv4. */
interface Address {
  bytes: Uint8Array;
}

interface Range {
  bytes: Uint8Array;
  prefix: number;
}

/** The compiled TRUST_PROXY list. */
export interface TrustedProxies {
  /** `address` (any form the studio reads) is one of the listed proxies. */
  has(address: string): boolean;
  readonly empty: boolean;
}

function parseIPv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    // No leading zeros: "010" is octal to some parsers and decimal to others, so it means nothing safely.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIPv6(s: string): Uint8Array | undefined {
  // A zone (`fe80::1%eth0`) names the interface, not the host: it plays no part in matching.
  const zone = s.indexOf('%');
  const text = zone >= 0 ? s.slice(0, zone) : s;
  if (!text || zone === s.length - 1) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  // An IPv4 tail is allowed only at the very end of the address.
  const groups = (half: string, last: boolean): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (last && i === parts.length - 1 && p.includes('.')) {
        // An IPv4 tail (`::ffff:10.0.0.1`) is the last two groups.
        const v4 = parseIPv4(p);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
      out.push(Number.parseInt(p, 16));
    }
    return out;
  };
  const head = groups(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? groups(halves[1]!, true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

const isMapped = (b: Uint8Array) =>
  b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;

function parseAddress(s: string): Address | undefined {
  const text = s.trim();
  if (!text) return undefined;
  const v4 = parseIPv4(text);
  if (v4) return { bytes: v4 };
  const v6 = parseIPv6(text);
  if (!v6) return undefined;
  // The same client reached over IPv4 or a dual-stack socket must be one client, and match IPv4 CIDRs.
  return { bytes: isMapped(v6) ? v6.slice(12) : v6 };
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

function formatAddress({ bytes }: Address): string {
  if (bytes.length === 4) return bytes.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // RFC 5952: the longest run of two or more zero groups (the first of equals) becomes "::".
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (best.len < 2) return hex(groups);
  return `${hex(groups.slice(0, best.at))}::${hex(groups.slice(best.at + best.len))}`;
}

/**
 * The canonical text of an address (`::ffff:10.0.0.1` → `10.0.0.1`, `2001:DB8:0:0::1` → `2001:db8::1`),
 * so one client is one key in the limits whichever way it was written; undefined when it is not one.
 */
export function normalizeAddress(s: string): string | undefined {
  const a = parseAddress(s);
  return a ? formatAddress(a) : undefined;
}

function parseRange(entry: string): Range | undefined {
  const slash = entry.indexOf('/');
  const address = parseAddress(slash >= 0 ? entry.slice(0, slash) : entry);
  if (!address) return undefined;
  const written = entry.slice(0, slash >= 0 ? slash : undefined);
  const writtenBits = parseIPv4(written.trim()) ? 32 : 128;
  const bits = address.bytes.length * 8;
  if (slash < 0) return { bytes: address.bytes, prefix: bits };
  const p = entry.slice(slash + 1).trim();
  if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
  let prefix = Number(p);
  if (prefix > writtenBits) return undefined;
  // `::ffff:10.0.0.0/104` is 10.0.0.0/8: the mapped form's first 96 bits are the mapping itself.
  if (writtenBits === 128 && bits === 32) {
    if (prefix < 96) return undefined;
    prefix -= 96;
  }
  return { bytes: address.bytes, prefix };
}

function inRange(a: Uint8Array, r: Range): boolean {
  if (a.length !== r.bytes.length) return false;
  const whole = r.prefix >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== r.bytes[i]) return false;
  const rest = r.prefix & 7;
  if (!rest) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[whole]! & mask) === (r.bytes[whole]! & mask);
}

/** Why a TRUST_PROXY entry cannot be used, for the config error; undefined when it is fine. */
export function trustProxyEntryProblem(entry: string): string | undefined {
  if (parseRange(entry.trim())) return undefined;
  return `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 127.0.0.1, fd00::/8, ::1)`;
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
