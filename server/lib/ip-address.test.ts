import { describe, expect, it } from 'vitest';
import { normalizeAddress, trustProxyEntryProblem } from './ip-address.ts';

describe('trustProxyEntryProblem', () => {
  it('accepts addresses and ranges, and names a bad entry', () => {
    for (const ok of ['10.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', '::ffff:10.0.0.0/104', ' 127.0.0.1 '])
      expect(trustProxyEntryProblem(ok), ok).toBeUndefined();
    for (const bad of [
      '10.0.0.0/33',
      '::/129',
      'localhost',
      '10.0.0',
      '10.0.0.0/',
      '10.0.0.0/08',
      '::ffff:10.0.0.0/80',
    ])
      expect(trustProxyEntryProblem(bad), bad).toContain(`"${bad}"`);
  });
});

describe('normalizeAddress', () => {
  it('writes each address one way', () => {
    expect(normalizeAddress('::FFFF:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeAddress('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(normalizeAddress('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeAddress('1:2:3:4:5:6:7:8')).toBe('1:2:3:4:5:6:7:8');
    expect(normalizeAddress('1.2.3.4::')).toBeUndefined();
    expect(normalizeAddress('nope')).toBeUndefined();
  });
});
