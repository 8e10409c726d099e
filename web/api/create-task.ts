import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import type { MotionControlRequest } from '../../contract/schemas/motion-control-request.ts';
import { type StudioTask, taskEnvelopeSchema } from '../../contract/schemas/studio-api.ts';
import { apiFetch } from './client.ts';
import { applyTaskChange } from './task-cache.ts';

/** `POST /api/tasks`: Kling's create request in, the stored task out (201). */
export const createTask = (request: CreateRequest): Promise<StudioTask> =>
  apiFetch('/api/tasks', taskEnvelopeSchema, { method: 'POST', body: JSON.stringify(request) }).then(
    (r) => r.task,
  );

/** `POST /api/motion-control`: Kling's motion-control body (`video_url` an upload's ref or an https URL). */
export const createMotionControlTask = (request: MotionControlRequest): Promise<StudioTask> =>
  apiFetch('/api/motion-control', taskEnvelopeSchema, {
    method: 'POST',
    body: JSON.stringify(request),
  }).then((r) => r.task);

/** Which endpoint a request goes to: the studio mirrors Kling's two. */
export type StudioCreate =
  | { kind: 'image2video'; request: CreateRequest }
  | { kind: 'motion-control'; request: MotionControlRequest };

export const createStudioTask = (c: StudioCreate): Promise<StudioTask> =>
  c.kind === 'image2video' ? createTask(c.request) : createMotionControlTask(c.request);

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
  return useCreateStudioTask({
    create: async (vars: V) => createTask(await toRequest(vars)),
    onCreated,
  });
}

export interface CreateStudioTaskOptions<V> {
  /** Posts whatever the caller mutates with to the endpoint it belongs to. */
  create: (vars: V) => Promise<StudioTask>;
  onCreated?: (task: StudioTask) => void;
}

/** useCreateTask for either endpoint: the caller decides how the task is created. */
export function useCreateStudioTask<V>({ create, onCreated }: CreateStudioTaskOptions<V>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: create,
    onSuccess: (task) => {
      applyTaskChange(queryClient, task);
      onCreated?.(task);
    },
  });
}
