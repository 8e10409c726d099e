import { useQueryClient } from '@tanstack/react-query';
import { newExternalTaskId } from '../../../contract/tasks/external-id.ts';
import { useCreateTask } from '../../api/create-task.ts';
import { taskInputsQuery } from '../../api/task-inputs.ts';
import { resubmission } from './resubmission.ts';

/** "Generate again": the stored request, sent as is under a new external id, becomes a new task. */
export function useGenerateAgain() {
  const queryClient = useQueryClient();
  return useCreateTask({
    toRequest: async (taskId: string) => {
      const inputs = await queryClient.fetchQuery(taskInputsQuery(taskId));
      if (inputs.kind !== 'image2video')
        throw new Error('Generate again of a motion-control task is not built yet');
      return resubmission(inputs.request, newExternalTaskId());
    },
  });
}
