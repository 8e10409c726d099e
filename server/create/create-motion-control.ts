import { randomUUID } from 'node:crypto';
import { DEFAULT_MOTION_CONTROL_MODEL } from '../../contract/capabilities/motion-control.ts';
import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import { newExternalTaskId } from '../../contract/tasks/external-id.ts';
import { checkMotionControlRequest } from '../inputs/check-motion-control.ts';
import { inputRef, saveInputs } from '../inputs/input-files.ts';
import { keepReference, uploadMissing } from '../inputs/reference-video.ts';
import type { FileFetchOptions } from '../lib/safe-fetch.ts';
import { StudioError, validationError } from '../lib/studio-error.ts';
import { newTaskState, priceUnitsOf, type TaskRecord } from '../tasks/task-record.ts';
import type { Uploads } from '../uploads/upload-store.ts';
import {
  admitAndInsert,
  type CreateTaskDeps,
  type Creator,
  discard,
  duplicateExternalId,
  enqueue,
} from './create-task.ts';
import { checkDiskFloor } from './disk-floor.ts';

export interface CreateMotionControlDeps extends CreateTaskDeps {
  uploads: Uploads;
  /**
   * The address Kling fetches an upload from: PUBLIC_URL, or the studio's own loopback address when the
   * upstream is a simulator on this machine. Undefined: an upload cannot reach Kling and is refused.
   */
  uploadBase: string | undefined;
  /** For a reference given as an https URL (the byte cap is the video limit). */
  videoFetch: Omit<FileFetchOptions, 'maxBytes'>;
}

/** A reference's length as a task's duration: seconds with one decimal, as text ("7.2", "5"). */
export const referenceSeconds = (durationMs: number) => String(Math.round(durationMs / 100) / 10);

/**
 * POST /api/motion-control, with POST /api/tasks' guarantees (create-task.ts): the disk floor first; every
 * check (the picture's bytes, the reference's facts from its upload or its download, the shared rules)
 * before anything is stored; admitted with the insert; the record and its inputs (the reference included)
 * stored, then queued. The dispatcher sends it; an upload goes to Kling as a signed link of the studio's
 * that works while the task is unfinished, made from `uploadBase` when it is sent.
 */
export async function createMotionControl(
  deps: CreateMotionControlDeps,
  body: unknown,
  who: Creator,
): Promise<StudioTask> {
  await checkDiskFloor(deps.dataDir, deps.minFreeDiskBytes);
  const { request, images, reference } = await checkMotionControlRequest(body, {
    imageFetch: deps.imageFetch,
    videoFetch: deps.videoFetch,
    uploads: deps.uploads,
    uploadsReachable: deps.uploadBase !== undefined,
    files: deps.files,
    retiredModels: deps.retiredModels,
  });

  const id = randomUUID();
  const externalTaskId = request.external_task_id ?? newExternalTaskId(id);
  let record: TaskRecord;
  try {
    if (request.external_task_id && (await deps.store.getByExternalId(request.external_task_id)))
      throw duplicateExternalId();
    const now = deps.clock.now();
    record = {
      id,
      kind: 'motion-control',
      externalTaskId,
      ...newTaskState(now),
      model: request.model_name ?? DEFAULT_MOTION_CONTROL_MODEL,
      mode: request.mode,
      duration: referenceSeconds(reference.facts.durationMs),
      motion: 'reference',
      prompt: request.prompt ?? '',
      callbackTokenHash: null,
      // The picture becomes a reference to its file; video_url stays the creator's (the upload's ref or
      // their URL), never the signed link, which is Kling's alone. The creator's callback_url is not kept.
      request: {
        ...request,
        image_url: inputRef('image_url'),
        external_task_id: externalTaskId,
        callback_url: undefined,
      },
      clientId: who.client,
      priceUnits: priceUnitsOf({ kind: 'motion-control', request, referenceMs: reference.facts.durationMs }),
      uploadBase: reference.uploadId !== undefined ? (deps.uploadBase ?? null) : null,
    };
    await admitAndInsert(deps, [record], who.peer);
  } catch (e) {
    await reference.release();
    throw e;
  }

  try {
    // First, before the inputs are written: from here on the upload is kept while this task is unfinished (and its
    // signed link served), so the sweeper cannot remove it while it is linked below.
    if (reference.uploadId !== undefined) await claimUpload(deps.uploads, reference.uploadId, id);
    const saved = await saveInputs(deps.files, id, images);
    images.length = 0;
    const kept = await keepReference(deps.files, id, reference);
    await deps.store.update(id, { inputs: saved.inputs, hasThumbnail: saved.hasThumbnail, reference: kept });
  } catch (e) {
    await reference.release();
    await discard(deps, id);
    throw e;
  }
  return (await enqueue(deps, [record]))[0]!;
}

/** An upload removed since it was checked (the sweeper) is the creator's "add it again", not a 404. */
async function claimUpload(uploads: Uploads, uploadId: string, taskId: string): Promise<void> {
  try {
    await uploads.claim(uploadId, taskId);
  } catch (e) {
    if (e instanceof StudioError && e.status === 404) throw validationError([uploadMissing()]);
    throw e;
  }
}
