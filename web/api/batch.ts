import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  type BatchRequest,
  type BatchResponse,
  batchResponseSchema,
} from '../../contract/schemas/studio-api.ts';
import { apiFetch } from './client.ts';
import { queueKeys } from './queue.ts';
import { applyTaskChange } from './task-cache.ts';

/**
 * `POST /api/tasks/batch`: one create request as `count` identical takes, or once per start frame in
 * `images`. Answers the tasks made (queued, in the batch's order) and the frames refused, by index.
 */
export const createBatch = (body: BatchRequest): Promise<BatchResponse> =>
  apiFetch('/api/tasks/batch', batchResponseSchema, { method: 'POST', body: JSON.stringify(body) });

/**
 * Creates a batch and puts each of its tasks into the cache at once, as a single create does, so the
 * gallery shows them without waiting for a refetch; the queue's counts are read again.
 */
export function useCreateBatch({ onCreated }: { onCreated?: (answer: BatchResponse) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createBatch,
    onSuccess: (answer) => {
      for (const task of answer.tasks) applyTaskChange(queryClient, task);
      onCreated?.(answer);
    },
    // A refusal may be the budget's: what is left today is worth reading again either way.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queueKeys.all }),
  });
}
