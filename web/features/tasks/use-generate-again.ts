import { useQueryClient } from '@tanstack/react-query';
import { isUploadRef, type MotionControlRequest } from '../../../contract/schemas/motion-control-request.ts';
import type { ReferenceVideo, StudioTask } from '../../../contract/schemas/studio-api.ts';
import { newExternalTaskId } from '../../../contract/tasks/external-id.ts';
import { createMotionControlTask, createTask, useCreateStudioTask } from '../../api/create-task.ts';
import { taskInputsQuery } from '../../api/task-inputs.ts';
import { isUploadMissing, uploadVideo } from '../../api/upload-video.ts';
import { resubmission } from './resubmission.ts';

/** The task's stored reference, fetched from the studio and uploaded again: a fresh `ref`. */
export async function uploadAgain(reference: ReferenceVideo): Promise<string> {
  const res = await fetch(reference.url);
  if (!res.ok)
    throw new Error(`The task's reference video could not be read (the studio answered ${res.status})`);
  const upload = await uploadVideo(await res.blob(), { format: reference.format });
  return upload.ref;
}

/** A `video_url` the studio's API takes as is: an upload's ref, or the creator's https URL. */
const usableVideoUrl = (value: string) => isUploadRef(value) || /^https:\/\//i.test(value);

/**
 * A motion-control request sent again. Its stored `video_url` is the upload's ref while the upload exists,
 * the creator's URL, or else the task's own copy of the clip (no URL Kling could fetch): then the copy is
 * uploaded again first. An upload that expires between the two answers (`upload_missing`) is replaced the
 * same way, once.
 */
async function motionControlAgain(
  request: MotionControlRequest,
  reference: ReferenceVideo,
): Promise<StudioTask> {
  const again = resubmission(request, newExternalTaskId());
  if (!usableVideoUrl(again.video_url))
    return createMotionControlTask({ ...again, video_url: await uploadAgain(reference) });
  try {
    return await createMotionControlTask(again);
  } catch (err) {
    if (!isUploadMissing(err)) throw err;
    return createMotionControlTask({ ...again, video_url: await uploadAgain(reference) });
  }
}

/** "Generate again": the stored request, sent as is under a new external id, becomes a new task. */
export function useGenerateAgain() {
  const queryClient = useQueryClient();
  return useCreateStudioTask({
    create: async (taskId: string) => {
      const inputs = await queryClient.fetchQuery(taskInputsQuery(taskId));
      if (inputs.kind === 'motion-control') return motionControlAgain(inputs.request, inputs.reference);
      return createTask(resubmission(inputs.request, newExternalTaskId()));
    },
  });
}
