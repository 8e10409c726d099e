import type { CreateRequest } from '../../../contract/schemas/create-request.ts';

/**
 * The stored request made ready to send again. The external id must be new (Kling would return the old
 * task for a repeated one), and the callback URL is dropped: it carries the old task's token, and the
 * server sets a fresh one.
 */
export function resubmission(request: CreateRequest, externalTaskId: string): CreateRequest {
  const { external_task_id: _old, callback_url: _callback, ...rest } = request;
  return { ...rest, external_task_id: externalTaskId };
}
