import { useMutation, useQueryClient } from '@tanstack/react-query';
import { taskEnvelopeSchema } from '../../../contract/schemas/studio-api.ts';
import { apiFetch } from '../../api/client.ts';
import { applyTaskChange } from '../../api/task-cache.ts';

/**
 * "Move to front": a task waiting in the studio's queue goes before its creator's other waiting tasks (the
 * queue still takes turns between creators). The answer carries its new place; the others' places follow
 * from the refresh a queue change sets off (api/task-cache.ts). Once sent, the studio answers 409 with why.
 */
export function useMoveToFront() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (taskId: string) =>
      apiFetch(`/api/tasks/${encodeURIComponent(taskId)}/move-to-front`, taskEnvelopeSchema, {
        method: 'POST',
      }).then((r) => r.task),
    onSuccess: (task) => applyTaskChange(queryClient, task),
  });
}
