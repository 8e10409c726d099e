import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import { type StudioTask, taskEnvelopeSchema } from '../../contract/schemas/studio-api.ts';
import { apiFetch } from './client.ts';
import { applyTaskChange } from './task-cache.ts';

/** `POST /api/tasks`: Kling's create request in, the stored task out (201). */
export const createTask = (request: CreateRequest): Promise<StudioTask> =>
  apiFetch('/api/tasks', taskEnvelopeSchema, { method: 'POST', body: JSON.stringify(request) }).then(
    (r) => r.task,
  );

export interface CreateTaskOptions<V> {
  /** Turns what the caller mutates with (a request, a task id…) into the request to post. */
  toRequest: (vars: V) => CreateRequest | Promise<CreateRequest>;
  onCreated?: (task: StudioTask) => void;
}

/**
 * Creates a task and puts it into the cache at once, so lists show it as Submitted without waiting for
 * a refetch. Generate and Generate again both go through here.
 */
export function useCreateTask<V>({ toRequest, onCreated }: CreateTaskOptions<V>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (vars: V) => createTask(await toRequest(vars)),
    onSuccess: (task) => {
      applyTaskChange(queryClient, task);
      onCreated?.(task);
    },
  });
}
