import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Spied, so the test sees what is compared: an early return on length would never call it.
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

const crypto = await import('node:crypto');
const { safeEqual } = await import('./app-token.ts');
const sha256 = (s: string) => createHash('sha256').update(s).digest();

afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

describe('safeEqual', () => {
  it('accepts the same string and refuses others, whatever their length', () => {
    expect(safeEqual('app-token-0123456789', 'app-token-0123456789')).toBe(true);
    expect(safeEqual('app-token-0123456789', 'app-token-012345678')).toBe(false);
    expect(safeEqual('app-token-0123456789', 'app-token-0123456788')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
  });

  it('compares SHA-256 digests in constant time, so a different length takes the same path', () => {
    expect(safeEqual('short', 'a-much-longer-guess-of-the-token')).toBe(false);
    const calls = vi.mocked(crypto.timingSafeEqual).mock.calls;
    expect(calls).toHaveLength(1);
    const [a, b] = calls[0] as [Buffer, Buffer];
    expect(Buffer.from(a)).toEqual(sha256('short'));
    expect(Buffer.from(b)).toEqual(sha256('a-much-longer-guess-of-the-token'));
  });
});
