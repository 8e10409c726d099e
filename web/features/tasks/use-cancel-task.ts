import { useMutation, useQueryClient } from '@tanstack/react-query';
import { taskEnvelopeSchema } from '../../../contract/schemas/studio-api.ts';
import { apiFetch } from '../../api/client.ts';
import { applyTaskChange } from '../../api/task-cache.ts';

/**
 * "Cancel": a task still waiting in the studio's queue ends `cancelled`, never sent, nothing spent. Once
 * sent, the studio answers 409 with why (Kling cannot stop a task), which the viewer shows as it is.
 */
export function useCancelTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (taskId: string) =>
      apiFetch(`/api/tasks/${encodeURIComponent(taskId)}/cancel`, taskEnvelopeSchema, {
        method: 'POST',
      }).then((r) => r.task),
    onSuccess: (task) => applyTaskChange(queryClient, task),
  });
}
