import { useMutation, useQueryClient } from '@tanstack/react-query';
import { taskInputsQuery } from '../../api/task-inputs.ts';
import { remixIntoStudio } from './remix.ts';

/** "Remix": everything the task was made from goes back into the composer, to change and resubmit. */
export function useRemix() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (taskId: string) =>
      remixIntoStudio(await queryClient.fetchQuery(taskInputsQuery(taskId))),
  });
}
