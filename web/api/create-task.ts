import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import { type StudioTask, taskEnvelopeSchema } from '../../contract/schemas/studio-api.ts';
import { apiFetch } from './client.ts';

/** `POST /api/tasks`: Kling's create request in, the stored task out (201). */
export const createTask = (request: CreateRequest): Promise<StudioTask> =>
  apiFetch('/api/tasks', taskEnvelopeSchema, { method: 'POST', body: JSON.stringify(request) }).then(
    (r) => r.task,
  );

/**
 * A fresh `external_task_id`: Kling treats a repeated one as the same task, so a resubmission needs its
 * own. Same shape as the ids the server makes (`ms-<uuid>`), within Kling's 64-character limit.
 */
export const newExternalTaskId = (): string => `ms-${crypto.randomUUID()}`;
