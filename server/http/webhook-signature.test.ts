import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { decodeWebhookSecret } from '../config/webhook-key.ts';
import { manualClock } from '../lib/clock.ts';
import { createSeenWebhookIds, createWebhookVerifier, WEBHOOK_TOLERANCE_MS } from './webhook-signature.ts';

/** Kling's published test vector (its webhook docs; shared/reference/kling-api.md §3.4). */
const VECTOR = {
  secret: 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=',
  id: '9876543210',
  timestamp: '1781080794',
  body: '{"id":"1234567890","status":"succeeded","message":"","create_time":1781080778802,"update_time":1781080794151}',
  signature: 'v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=',
};
const AT_VECTOR = Number(VECTOR.timestamp) * 1000;

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const headersOf = (h: Record<string, string>) => (name: string) => h[name];
const vectorHeaders = (over: Record<string, string> = {}) =>
  headersOf({
    'webhook-id': VECTOR.id,
    'webhook-timestamp': VECTOR.timestamp,
    'webhook-signature': VECTOR.signature,
    ...over,
  });

describe('webhook signature', () => {
  it("passes Kling's test vector at its own instant", () => {
    const v = createWebhookVerifier({ secrets: [VECTOR.secret], clock: manualClock(AT_VECTOR) });
    expect(v.verify(Buffer.from(VECTOR.body), vectorHeaders())).toEqual({
      ok: true,
      id: VECTOR.id,
      timestampMs: AT_VECTOR,
    });
    // The bare base64 (no whsec_ prefix) is the same key.
    const bare = createWebhookVerifier({
      secrets: [VECTOR.secret.slice('whsec_'.length)],
      clock: manualClock(AT_VECTOR),
    });
    expect(bare.verify(Buffer.from(VECTOR.body), vectorHeaders()).ok).toBe(true);
  });

  it('refuses a wrong secret, a tampered body, a changed id and a missing header', () => {
    const clock = manualClock(AT_VECTOR);
    const body = Buffer.from(VECTOR.body);
    const wrong = createWebhookVerifier({ secrets: [newSecret()], clock });
    expect(wrong.verify(body, vectorHeaders())).toEqual({ ok: false, reason: 'mismatch' });

    const v = createWebhookVerifier({ secrets: [VECTOR.secret], clock });
    const tampered = Buffer.from(VECTOR.body.replace('succeeded', 'succeedeD'));
    expect(v.verify(tampered, vectorHeaders())).toEqual({ ok: false, reason: 'mismatch' });
    const oneByte = Buffer.from(body);
    oneByte.writeUInt8(oneByte.readUInt8(oneByte.length - 2) ^ 1, oneByte.length - 2);
    expect(v.verify(oneByte, vectorHeaders()).ok).toBe(false);
    expect(v.verify(body, vectorHeaders({ 'webhook-id': '9876543211' })).ok).toBe(false);
    // The timestamp is signed too: moving it (inside the window) breaks the signature.
    expect(v.verify(body, vectorHeaders({ 'webhook-timestamp': '1781080795' })).ok).toBe(false);
    expect(
      v.verify(
        body,
        vectorHeaders({ 'webhook-signature': 'v2,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=' }),
      ).ok,
    ).toBe(false);

    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      expect(v.verify(body, vectorHeaders({ [name]: '' }))).toEqual({ ok: false, reason: 'missing' });
      const without = (n: string) => (n === name ? undefined : vectorHeaders()(n));
      expect(v.verify(body, without)).toEqual({ ok: false, reason: 'missing' });
    }
    expect(v.verify(body, vectorHeaders({ 'webhook-timestamp': '1781080794abc' }))).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('refuses a timestamp 6 minutes off either way, through the injected clock', () => {
    const clock = manualClock(AT_VECTOR);
    const v = createWebhookVerifier({ secrets: [VECTOR.secret], clock });
    const body = Buffer.from(VECTOR.body);
    clock.set(AT_VECTOR + 6 * 60_000);
    expect(v.verify(body, vectorHeaders())).toEqual({ ok: false, reason: 'stale' });
    clock.set(AT_VECTOR - 6 * 60_000);
    expect(v.verify(body, vectorHeaders())).toEqual({ ok: false, reason: 'stale' });
    // Just inside the window either way still passes.
    clock.set(AT_VECTOR + WEBHOOK_TOLERANCE_MS);
    expect(v.verify(body, vectorHeaders()).ok).toBe(true);
    clock.set(AT_VECTOR - WEBHOOK_TOLERANCE_MS + 1000);
    expect(v.verify(body, vectorHeaders()).ok).toBe(true);
  });

  it('during a rotation any configured secret passes, and any of several signatures in the header', () => {
    const [oldSecret, newer, other] = [newSecret(), newSecret(), newSecret()];
    const clock = manualClock();
    const v = createWebhookVerifier({ secrets: [oldSecret, newer], clock });
    const body = '{"task_id":"1","task_status":"succeed"}';
    const at = new Date(clock.now());
    const ts = String(Math.floor(clock.now() / 1000));
    // Signed by the standardwebhooks package: an independent implementation of the same format.
    const sig = (secret: string) => new Webhook(secret).sign('msg-1', at, body);
    const check = (signature: string) =>
      v.verify(
        Buffer.from(body),
        headersOf({ 'webhook-id': 'msg-1', 'webhook-timestamp': ts, 'webhook-signature': signature }),
      ).ok;
    expect(check(sig(oldSecret))).toBe(true);
    expect(check(sig(newer))).toBe(true);
    expect(check(sig(other))).toBe(false);
    expect(check(`${sig(other)} ${sig(newer)}`)).toBe(true);
    expect(check(`v1,not-base64 ${sig(other)}  ${sig(oldSecret)}`)).toBe(true);
    expect(check(`${sig(other)} v1,`)).toBe(false);
  });

  it("agrees with the package's verify on what it signs over the raw bytes", () => {
    const secret = newSecret();
    const clock = manualClock();
    const v = createWebhookVerifier({ secrets: [secret], clock });
    const raw = Buffer.from('{"task_id":"1","note":"café ✓"}');
    const id = 'msg_2';
    const ts = String(Math.floor(clock.now() / 1000));
    const h = {
      'webhook-id': id,
      'webhook-timestamp': ts,
      'webhook-signature': new Webhook(secret).sign(id, new Date(clock.now()), raw),
    };
    expect(v.verify(raw, headersOf(h)).ok).toBe(true);
    expect(() => new Webhook(secret).verify(raw, h)).not.toThrow();
  });

  it('refuses secrets that are not whsec_ base64 of at least 16 bytes', () => {
    expect(decodeWebhookSecret(VECTOR.secret).toString()).toBe('testsecrettestsecrettestsecret12');
    expect(() => decodeWebhookSecret('whsec_not*base64!')).toThrow(/base64/);
    expect(() => decodeWebhookSecret('whsec_c2hvcnQ=')).toThrow(/too short/);
  });
});

describe('seen webhook ids', () => {
  it('refuses an id seen inside the window, forgets it after, and gives back a released one', () => {
    const clock = manualClock();
    const seen = createSeenWebhookIds({ clock, sweepEveryMs: 1000 });
    const ts = clock.now();
    expect(seen.claim('a', ts)).toBe(true);
    expect(seen.claim('a', ts)).toBe(false);
    clock.advance(WEBHOOK_TOLERANCE_MS);
    expect(seen.claim('a', ts)).toBe(false);
    seen.release('a');
    expect(seen.claim('a', ts)).toBe(true);
    // Past the window the id is swept: it could not pass the timestamp check any more anyway.
    clock.advance(WEBHOOK_TOLERANCE_MS * 2 + 1);
    expect(seen.claim('b', clock.now())).toBe(true);
    expect(seen.size()).toBe(1);
  });

  it('stays bounded under a flood of ids', () => {
    const clock = manualClock();
    const seen = createSeenWebhookIds({ clock, maxIds: 100 });
    for (let i = 0; i < 1000; i++) expect(seen.claim(`id-${i}`, clock.now())).toBe(true);
    expect(seen.size()).toBe(100);
    expect(seen.claim('id-999', clock.now())).toBe(false);
  });
});
