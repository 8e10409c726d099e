/** Either endpoint's request carries these two; a resubmission replaces both. */
interface Resubmittable {
  external_task_id?: string;
  callback_url?: string;
}

/**
 * The stored request made ready to send again. The external id must be new (Kling would return the old
 * task for a repeated one), and the callback URL is dropped: it carries the old task's token, and the
 * server sets a fresh one.
 */
export function resubmission<R extends Resubmittable>(request: R, externalTaskId: string): R {
  const { external_task_id: _old, callback_url: _callback, ...rest } = request;
  return { ...rest, external_task_id: externalTaskId } as R;
}
