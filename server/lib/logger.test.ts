import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { memoryLogger, safeStringify } from './logger.ts';

describe('redacting logger', () => {
  it('removes secrets, JWTs, bearer values and callback tokens wherever they appear', async () => {
    const secret = 'very-secret-signing-key';
    const log = memoryLogger([secret]);
    const jwt = await new SignJWT({ a: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(secret));
    log.info(`key ${secret} in a message`, {
      nested: { deeper: [`and ${secret}`] },
      err: new Error(`boom ${secret}`),
    });
    log.warn('a token', { header: `Bearer ${jwt}`, raw: jwt, other: 'Bearer abc.def' });
    log.error('a callback', {
      url: 'http://host/api/callbacks/kling/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA',
    });
    const all = log.lines.join('\n');
    expect(all).not.toContain(secret);
    expect(all).not.toContain(jwt);
    expect(all).not.toContain('abc.def');
    expect(all).not.toContain('Zm9vYmFy');
    expect(all).toContain('[redacted]');
  });

  it('learns secrets added after start (the built-in simulator’s random keys)', () => {
    const log = memoryLogger();
    log.addSecret('late-secret-value');
    log.info('late-secret-value');
    expect(log.lines[0]).not.toContain('late-secret-value');
  });

  it('keeps log lines small: long strings are cut, deep objects summarised', () => {
    const out = safeStringify({
      image: 'A'.repeat(40_000_000 / 1000),
      deep: { a: { b: { c: { d: { e: 1 } } } } },
    });
    expect(out.length).toBeLessThan(1000);
    expect(out).toContain('chars');
    expect(out).toContain('[object]');
  });
});
