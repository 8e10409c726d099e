import { describe, expect, it } from 'vitest';
import { isBlockedAddress } from './address-policy.ts';
import { checkUrl, SafeFetchError } from './safe-fetch.ts';

/**
 * IPv6 spellings of private IPv4 space (security review 2026-12, finding 9). The URL parser rewrites the
 * dotted forms into hex (`[::127.0.0.1]` → `[::7f00:1]`), so both spellings must be refused, and the
 * refusal happens on the literal alone: no resolver, no connection.
 */
describe('address policy: IPv6 forms that embed or translate IPv4', () => {
  it.each([
    ['::127.0.0.1', 'IPv4-compatible, dotted'],
    ['::7f00:1', 'IPv4-compatible, hex (what the URL parser makes of ::127.0.0.1)'],
    ['::a00:1', 'IPv4-compatible 10.0.0.1'],
    ['::8.8.8.8', 'IPv4-compatible, even of a public address (deprecated form, never routed)'],
    ['::ffff:0:127.0.0.1', 'SIIT, dotted'],
    ['::ffff:0:7f00:1', 'SIIT, hex'],
    ['::ffff:7f00:1', 'mapped, hex'],
    ['0:0:0:0:0:ffff:7f00:1', 'mapped, spelled out'],
    ['64:ff9b::7f00:1', 'NAT64 well-known prefix, hex'],
    ['64:ff9b::8.8.8.8', 'NAT64 well-known prefix: the gateway is whatever the host network makes of it'],
    ['64:ff9b:1::a00:1', 'local-use NAT64 (64:ff9b:1::/48)'],
    ['64:ff9b:1:abcd::1', 'local-use NAT64, anywhere in the /48'],
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['2002:808:808::1', '6to4 of a public address (relays are not trusted either)'],
    ['::', 'unspecified'],
    ['::2', 'inside ::/96'],
    ['2001::1', 'Teredo'],
    ['2001:10::1', 'ORCHID'],
    ['3fff::1', 'documentation (3fff::/20)'],
    ['5f00::1', 'SRv6 SIDs'],
  ])('refuses %s (%s)', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
    expect(isBlockedAddress(`[${address}]`)).toBe(true);
  });

  it.each(['2606:4700::1111', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '2001:4860:4860::8888'])(
    'allows the public address %s',
    (address) => {
      expect(isBlockedAddress(address)).toBe(false);
    },
  );

  it.each([
    'http://[::127.0.0.1]:8799/a.png',
    'http://[::7f00:1]:8799/a.png',
    'http://[::ffff:0:127.0.0.1]:8799/a.png',
    'http://[64:ff9b:1::a00:1]/a.png',
    'http://[2002:7f00:1::]/a.png',
  ])('checkUrl refuses %s as a blocked address before any connection', async (url) => {
    const noDns = async () => {
      throw new Error('a literal must not be resolved');
    };
    const err = await checkUrl(url, { resolve: noDns }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SafeFetchError);
    expect((err as SafeFetchError).reason).toBe('blocked_address');
  });

  it('checkUrl lets a public IPv6 literal through the policy (nothing is fetched)', async () => {
    const target = await checkUrl('https://[2606:4700::1111]/v.mp4', {});
    expect(target).toMatchObject({ address: '2606:4700::1111', family: 6 });
  });
});
