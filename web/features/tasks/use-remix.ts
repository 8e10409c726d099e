import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TaskInputs } from '../../../contract/schemas/studio-api.ts';
import { taskInputsQuery } from '../../api/task-inputs.ts';

/** Puts a task's inputs back into the composer; given by web/app, which alone sees the motion brush. */
export type RemixInto = (inputs: TaskInputs) => Promise<void>;

/** "Remix": everything the task was made from goes back into the composer, to change and resubmit. */
export function useRemix(remixInto: RemixInto) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (taskId: string) => remixInto(await queryClient.fetchQuery(taskInputsQuery(taskId))),
  });
}
