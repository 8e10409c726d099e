import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import { type StudioTask, taskEnvelopeSchema } from '../../contract/schemas/studio-api.ts';
import { apiFetch } from './client.ts';

/** `POST /api/tasks`: Kling's create request in, the stored task out (201). */
export const createTask = (request: CreateRequest): Promise<StudioTask> =>
  apiFetch('/api/tasks', taskEnvelopeSchema, { method: 'POST', body: JSON.stringify(request) }).then(
    (r) => r.task,
  );
