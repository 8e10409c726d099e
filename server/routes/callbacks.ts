import { Hono } from 'hono';
import { type KlingTask, klingTaskSchema } from '../../contract/schemas/kling-task.ts';
import { hashCallbackToken } from '../create/create-task.ts';
import { MAX_JSON_DEPTH, parseJsonBytes, readBodyBytes } from '../http/read-json-body.ts';
import {
  createSeenWebhookIds,
  createWebhookVerifier,
  type WebhookFailure,
} from '../http/webhook-signature.ts';
import { StudioError } from '../lib/studio-error.ts';
import type { AppDeps } from './app-deps.ts';

const CALLBACK_LIMIT_BYTES = 1024 * 1024;

const REFUSED: Record<WebhookFailure | 'replayed', { code: string; message: string }> = {
  missing: { code: 'signature_required', message: 'The callback is not signed' },
  malformed: { code: 'signature_invalid', message: 'The callback’s signature headers are malformed' },
  stale: {
    code: 'signature_stale',
    message: 'The callback’s timestamp is more than 5 minutes away from this server’s clock',
  },
  mismatch: { code: 'signature_invalid', message: 'The callback’s signature does not match' },
  replayed: { code: 'callback_replayed', message: 'This callback was already received' },
};

/**
 * POST /api/callbacks/kling/:token: Kling's status notification. The token is per task, 32 random bytes,
 * stored only as a hash; an unknown token gets 404 and changes nothing. With KLING_WEBHOOK_SECRET the
 * callback must also be signed (Standard Webhooks), checked over the raw bytes before anything parses
 * them, fresh and not a replay; otherwise 401 and nothing changes. The body must describe the task the
 * token belongs to. Open without APP_TOKEN: Kling cannot send it; token and signature are the credentials.
 */
export function callbackRoutes(deps: AppDeps) {
  const signed = deps.config.webhookSecrets.length > 0;
  const verifier = signed
    ? createWebhookVerifier({ secrets: deps.config.webhookSecrets, clock: deps.clock })
    : undefined;
  const seen = createSeenWebhookIds({ clock: deps.clock });

  return new Hono().post('/kling/:token', async (c) => {
    const record = await deps.store.getByCallbackHash(hashCallbackToken(c.req.param('token')));
    if (!record) throw new StudioError(404, 'not_found', 'Unknown callback');
    const bytes = await readBodyBytes(c, CALLBACK_LIMIT_BYTES, { anyContentType: true });
    let claimed: string | undefined;
    if (verifier) {
      const check = verifier.verify(bytes, (name) => c.req.header(name));
      const refusal = !check.ok
        ? check.reason
        : seen.claim(check.id, check.timestampMs)
          ? undefined
          : 'replayed';
      if (refusal) {
        deps.log.warn('Refused a callback', { taskId: record.id, reason: refusal });
        const { code, message } = REFUSED[refusal];
        throw new StudioError(401, code, message);
      }
      if (check.ok) claimed = check.id;
    }
    try {
      const remote = parseCallback(parseJsonBytes(bytes, MAX_JSON_DEPTH));
      if (!remote) throw new StudioError(400, 'invalid_callback', 'The callback body is not a Kling task');
      const sameTask = record.klingTaskId
        ? remote.task_id === record.klingTaskId
        : remote.task_info?.external_task_id === record.externalTaskId;
      if (!sameTask)
        throw new StudioError(400, 'callback_mismatch', 'The callback describes a different task');
      await deps.tracker.applyUpstream(record.id, remote, 'callback');
    } catch (err) {
      // Not applied: Kling's retry carries the same webhook-id and must still be let in.
      if (claimed) seen.release(claimed);
      throw err;
    }
    return c.json({ ok: true });
  });
}

/** Kling documents the bare task object; some relays wrap it in the usual envelope. Accept both. */
function parseCallback(body: unknown): KlingTask | undefined {
  const bare = klingTaskSchema.safeParse(body);
  if (bare.success) return bare.data;
  if (body && typeof body === 'object' && 'data' in body) {
    const wrapped = klingTaskSchema.safeParse(body.data);
    if (wrapped.success) return wrapped.data;
  }
  return undefined;
}
