/**
 * IP addresses and CIDR ranges, both families, as bytes: parsing, the one canonical text of an address, and
 * range membership. Pure, for TRUST_PROXY (its entries are checked at boot, config/, and matched per
 * request, http/client-address.ts). IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is IPv4 throughout, so one client
 * reached over a dual-stack socket is the same client and matches IPv4 ranges.
 */

/** An address as 4 (IPv4) or 16 (IPv6) bytes; IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is stored as IPv4. */
export interface Address {
  bytes: Uint8Array;
}

export interface Range {
  bytes: Uint8Array;
  prefix: number;
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

export function parseAddress(s: string): Address | undefined {
  const text = s.trim();
  if (!text) return undefined;
  const v4 = parseIPv4(text);
  if (v4) return { bytes: v4 };
  const v6 = parseIPv6(text);
  if (!v6) return undefined;
  // The same client reached over IPv4 or a dual-stack socket must be one client, and match IPv4 CIDRs.
  return { bytes: isMapped(v6) ? v6.slice(12) : v6 };
}

export function formatAddress({ bytes }: Address): string {
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

export function parseRange(entry: string): Range | undefined {
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

export function inRange(a: Uint8Array, r: Range): boolean {
  if (a.length !== r.bytes.length) return false;
  const whole = r.prefix >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== r.bytes[i]) return false;
  const rest = r.prefix & 7;
  if (!rest) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[whole]! & mask) === (r.bytes[whole]! & mask);
}

/** Why a TRUST_PROXY entry is not an address or range, for the config error; undefined when it is one. */
export function trustProxyEntryProblem(entry: string): string | undefined {
  if (parseRange(entry.trim())) return undefined;
  return `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 127.0.0.1, fd00::/8, ::1)`;
}
