import { Hono } from 'hono';
import { type KlingTask, klingTaskSchema } from '../../contract/schemas/kling-task.ts';
import { hashCallbackToken } from '../create/create-task.ts';
import { readJsonBody } from '../http/read-json-body.ts';
import { StudioError } from '../lib/studio-error.ts';
import type { AppDeps } from './app-deps.ts';

const CALLBACK_LIMIT_BYTES = 1024 * 1024;

/**
 * POST /api/callbacks/kling/:token: Kling's status notification. The token is per task, 32 random bytes,
 * stored only as a hash; an unknown token gets 404 and changes nothing. The body must describe the task
 * the token belongs to. Open without APP_TOKEN: Kling cannot send it; the token is the credential.
 */
export function callbackRoutes(deps: AppDeps) {
  return new Hono().post('/kling/:token', async (c) => {
    const record = deps.store.getByCallbackHash(hashCallbackToken(c.req.param('token')));
    if (!record) throw new StudioError(404, 'not_found', 'Unknown callback');
    const body = await readJsonBody(c, CALLBACK_LIMIT_BYTES, { anyContentType: true });
    const remote = parseCallback(body);
    if (!remote) throw new StudioError(400, 'invalid_callback', 'The callback body is not a Kling task');
    const sameTask = record.klingTaskId
      ? remote.task_id === record.klingTaskId
      : remote.task_info?.external_task_id === record.externalTaskId;
    if (!sameTask) throw new StudioError(400, 'callback_mismatch', 'The callback describes a different task');
    await deps.tracker.applyUpstream(record.id, remote, 'callback');
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
