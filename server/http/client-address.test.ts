import { describe, expect, it } from 'vitest';
import { clientAddress, trustedProxies } from './client-address.ts';

const LB = trustedProxies(['10.0.0.0/8', '::1']);
const NONE = trustedProxies([]);

describe('clientAddress', () => {
  it('without TRUST_PROXY the socket peer is the client, whatever X-Forwarded-For says', () => {
    expect(clientAddress('203.0.113.7', '198.51.100.1', NONE)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.5', '198.51.100.1', NONE)).toBe('10.0.0.5');
  });

  it('an untrusted peer cannot move its address with a forged X-Forwarded-For', () => {
    expect(clientAddress('203.0.113.7', '10.0.0.9', LB)).toBe('203.0.113.7');
    expect(clientAddress('203.0.113.7', '198.51.100.1, 10.0.0.2', LB)).toBe('203.0.113.7');
  });

  it('behind a trusted proxy the client is the address the proxy appended', () => {
    expect(clientAddress('10.0.0.5', '198.51.100.1', LB)).toBe('198.51.100.1');
    // Two trusted hops: the load balancer, then an ingress.
    expect(clientAddress('10.0.0.5', '198.51.100.1, 10.1.2.3', LB)).toBe('198.51.100.1');
  });

  it('a forged left-most entry behind a trusted proxy is ignored: the right-most untrusted address wins', () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the client's real address.
    expect(clientAddress('10.0.0.5', '1.2.3.4, 198.51.100.1', LB)).toBe('198.51.100.1');
    // Forging a trusted address to the left changes nothing either.
    expect(clientAddress('10.0.0.5', '10.9.9.9, 198.51.100.1', LB)).toBe('198.51.100.1');
    // Two forged header lines, joined by Node as one list, still end at the proxy's entry.
    expect(clientAddress('10.0.0.5', '1.2.3.4, 5.6.7.8, 198.51.100.1', LB)).toBe('198.51.100.1');
  });

  it('when every hop is trusted, the left-most is the client', () => {
    expect(clientAddress('10.0.0.5', '10.0.0.7, 10.0.0.6', LB)).toBe('10.0.0.7');
  });

  it('a trusted peer without the header is the client (the proxy did not say whom it forwards)', () => {
    expect(clientAddress('10.0.0.5', undefined, LB)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '', LB)).toBe('10.0.0.5');
  });

  it('IPv4-mapped IPv6 peers and entries are their IPv4 addresses, for matching and as the client key', () => {
    // A dual-stack socket reports IPv4 peers this way.
    expect(clientAddress('::ffff:10.0.0.1', '198.51.100.1', LB)).toBe('198.51.100.1');
    expect(clientAddress('::ffff:203.0.113.7', '198.51.100.1', LB)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.1', '::ffff:198.51.100.1', LB)).toBe('198.51.100.1');
    // A mapped trusted hop is still trusted.
    expect(clientAddress('10.0.0.1', '198.51.100.1, ::ffff:10.2.2.2', LB)).toBe('198.51.100.1');
    // Hex mapped form too.
    expect(clientAddress('::ffff:a00:1', '198.51.100.1', LB)).toBe('198.51.100.1');
    const mappedList = trustedProxies(['::ffff:10.0.0.0/104']);
    expect(mappedList.has('10.1.2.3')).toBe(true);
    expect(mappedList.has('11.0.0.1')).toBe(false);
  });

  it('IPv6 proxies and clients, in any spelling, are one canonical address', () => {
    expect(clientAddress('::1', '2001:DB8:0:0::1', LB)).toBe('2001:db8::1');
    expect(clientAddress('0:0:0:0:0:0:0:1', '2001:db8::1', LB)).toBe('2001:db8::1');
    expect(clientAddress('2001:db8::9', '198.51.100.1', LB)).toBe('2001:db8::9');
  });

  it('malformed entries end the walk at the trusted hop that passed them on, never at a forged address', () => {
    expect(clientAddress('10.0.0.5', 'garbage', LB)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', 'unknown', LB)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '1.2.3.4, 300.1.1.1', LB)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '1.2.3.4, , 10.0.0.7', LB)).toBe('10.0.0.7');
    expect(clientAddress('10.0.0.5', '1.2.3.4, 010.0.0.1', LB)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '1.2.3.4, 1::2::3', LB)).toBe('10.0.0.5');
    // A malformed entry left of the real client changes nothing.
    expect(clientAddress('10.0.0.5', 'junk, 198.51.100.1', LB)).toBe('198.51.100.1');
  });

  it('entries written with a port or in brackets name their address', () => {
    expect(clientAddress('10.0.0.5', '198.51.100.1:4711', LB)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.5', '[2001:db8::1]:443', LB)).toBe('2001:db8::1');
    expect(clientAddress('10.0.0.5', '[2001:db8::1]', LB)).toBe('2001:db8::1');
  });

  it('a peer that is no address at all (no socket in a unit test) stays as written', () => {
    expect(clientAddress('local', '198.51.100.1', LB)).toBe('local');
    expect(clientAddress(undefined, '198.51.100.1', LB)).toBe('unknown');
  });
});

describe('trustedProxies', () => {
  it('matches addresses and CIDR ranges of both families, bit-exactly', () => {
    const t = trustedProxies(['192.168.1.0/25', '172.16.0.0/12', 'fd00::/8', '2001:db8::5', '0.0.0.0/0']);
    expect(t.has('192.168.1.127')).toBe(true);
    expect(trustedProxies(['192.168.1.0/25']).has('192.168.1.128')).toBe(false);
    expect(t.has('172.31.255.255')).toBe(true);
    expect(trustedProxies(['172.16.0.0/12']).has('172.32.0.0')).toBe(false);
    expect(t.has('fdab::1')).toBe(true);
    expect(trustedProxies(['fd00::/8']).has('fe00::1')).toBe(false);
    expect(t.has('2001:db8::5')).toBe(true);
    expect(trustedProxies(['2001:db8::5']).has('2001:db8::6')).toBe(false);
    // An IPv4 range never covers an IPv6 address (and the other way round).
    expect(trustedProxies(['0.0.0.0/0']).has('::1')).toBe(false);
    expect(trustedProxies(['::/0']).has('10.0.0.1')).toBe(false);
  });

  it('host bits in a range are ignored, as in other proxy lists', () => {
    expect(trustedProxies(['10.1.2.3/8']).has('10.200.0.1')).toBe(true);
  });
});
