import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeWebhookSecret } from '../config/webhook-key.ts';
import type { Clock } from '../lib/clock.ts';

/**
 * Kling's signed callbacks (Standard Webhooks; shared/reference/kling-2026.md §4): headers `webhook-id`,
 * `webhook-timestamp` (seconds) and `webhook-signature` (`v1,<base64>`, several space-separated during a
 * rotation), where the signature is Base64(HMAC-SHA256(Base64Decode(secret without `whsec_`),
 * "{id}.{timestamp}.{raw body}")).
 *
 * Why not `new Webhook(secret).verify()` from the `standardwebhooks` package (the simulator signs with it,
 * and the tests check this code against it, so both sides agree on the format):
 * - it reads `Date.now()` for the ± 5 min window, so the studio's injectable clock cannot move it: a test
 *   can neither pin time to the docs' vector (June 2026) nor step past the window;
 * - it signs `payload.toString()`, the body's UTF-8 *decoding*, not its bytes: different invalid byte
 *   sequences collapse to U+FFFD and share one signature. Here the HMAC runs over the raw bytes;
 * - it takes one secret; a rotation needs any of several.
 * HMAC and the constant-time compare are node:crypto's.
 */

/** Kling's window, either way: a clock running ahead or behind by up to this much still passes. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;
/** Longer ids are not something Kling sends; refusing them keeps each remembered id small. */
const MAX_ID_LENGTH = 256;

export type WebhookFailure =
  /** A header is absent or empty. */
  | 'missing'
  /** The id or timestamp is not well formed. */
  | 'malformed'
  /** The timestamp is outside the window. */
  | 'stale'
  /** No signature matches any secret. */
  | 'mismatch';

export type WebhookCheck =
  | { ok: true; id: string; timestampMs: number }
  | { ok: false; reason: WebhookFailure };

/** Checks a callback's headers and raw body against any of `secrets` (a rotation holds several). */
export function createWebhookVerifier(opts: {
  secrets: readonly string[];
  clock: Clock;
  toleranceMs?: number;
}) {
  const keys = opts.secrets.map(decodeWebhookSecret);
  const tolerance = opts.toleranceMs ?? WEBHOOK_TOLERANCE_MS;
  return {
    verify(raw: Uint8Array, header: (name: string) => string | undefined): WebhookCheck {
      const id = header('webhook-id')?.trim();
      const ts = header('webhook-timestamp')?.trim();
      const sig = header('webhook-signature')?.trim();
      if (!id || !ts || !sig) return { ok: false, reason: 'missing' };
      // An integer count of seconds, nothing else: parseInt would read "1781080794abc" as a time.
      if (id.length > MAX_ID_LENGTH || !/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'malformed' };
      const timestampMs = Number(ts) * 1000;
      if (Math.abs(opts.clock.now() - timestampMs) > tolerance) return { ok: false, reason: 'stale' };
      const offered = sig
        .split(/\s+/)
        .filter((s) => s.startsWith('v1,'))
        .map((s) => Buffer.from(s.slice(3), 'latin1'));
      for (const key of keys) {
        const expected = Buffer.from(
          createHmac('sha256', key).update(`${id}.${ts}.`).update(raw).digest('base64'),
          'latin1',
        );
        // Equal lengths first (timingSafeEqual requires it); a signature's length is no secret.
        if (offered.some((o) => o.length === expected.length && timingSafeEqual(o, expected)))
          return { ok: true, id, timestampMs };
      }
      return { ok: false, reason: 'mismatch' };
    },
  };
}

export type WebhookVerifier = ReturnType<typeof createWebhookVerifier>;

/**
 * The `webhook-id`s already accepted, so a replay inside the window is refused. Only verified messages are
 * remembered, so nobody without the secret can grow it. An id is kept until its own timestamp has left the
 * window (it could not pass the timestamp check after that anyway), swept at most every `sweepEveryMs`;
 * `maxIds` bounds it even under a flood of genuine callbacks (the oldest go first — and a replay that got
 * through that way would still change nothing, since a task's status only moves forward).
 *
 * In memory, per process: each replica (and its SQLite file) is separate, so a table there would not be
 * shared either; a cluster store is where a shared set belongs once there is one. A restart forgets the
 * set, which the forward-only tracker makes harmless.
 */
export function createSeenWebhookIds(opts: {
  clock: Clock;
  toleranceMs?: number;
  maxIds?: number;
  sweepEveryMs?: number;
}) {
  const tolerance = opts.toleranceMs ?? WEBHOOK_TOLERANCE_MS;
  const maxIds = opts.maxIds ?? 100_000;
  const sweepEvery = opts.sweepEveryMs ?? 30_000;
  /** id → when it may be forgotten. */
  const seen = new Map<string, number>();
  let lastSweep = opts.clock.now();
  const sweep = (now: number) => {
    for (const [id, forgetAt] of seen) if (forgetAt < now) seen.delete(id);
    lastSweep = now;
  };
  return {
    /**
     * True when the id is new: it is then held (a concurrent duplicate is refused) until `release`
     * gives it back — for a callback that could not be applied, so Kling's retry of it still counts.
     */
    claim(id: string, timestampMs: number): boolean {
      const now = opts.clock.now();
      if (now - lastSweep >= sweepEvery) sweep(now);
      const forgetAt = seen.get(id);
      if (forgetAt !== undefined && forgetAt >= now) return false;
      seen.delete(id);
      while (seen.size >= maxIds) {
        const oldest = seen.keys().next().value as string;
        seen.delete(oldest);
      }
      seen.set(id, Math.max(timestampMs, now) + tolerance);
      return true;
    },
    release(id: string): void {
      seen.delete(id);
    },
    size: () => seen.size,
  };
}

export type SeenWebhookIds = ReturnType<typeof createSeenWebhookIds>;
