import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import type { MotionControlRequest } from '../../contract/schemas/motion-control-request.ts';
import type { FileStorage } from '../files/file-storage.ts';
import { inputRef, readInput } from '../inputs/input-files.ts';
import type { TaskRecord } from '../tasks/task-record.ts';
import type { Uploads } from '../uploads/upload-store.ts';

/** The stored inputs are gone (removed by hand, a disk problem): the task cannot be sent. */
export class InputsMissing extends Error {}

/**
 * The create body Kling gets for a queued task, rebuilt from what the store kept: each `input:<field>`
 * reference becomes the picture again (the creator's URL when they gave one, else the stored bytes as
 * base64, exactly as they arrived), with the task's external_task_id and, with PUBLIC_URL, a callback URL
 * carrying `callbackToken`. A motion-control upload goes as a signed link of the studio's.
 */
export async function outgoingRequest(
  record: TaskRecord,
  opts: {
    files: FileStorage;
    publicUrl: string | undefined;
    callbackToken: string | undefined;
    uploads: Pick<Uploads, 'signedUrl'>;
  },
): Promise<CreateRequest | MotionControlRequest> {
  const values = new Map<string, string>();
  for (const [field, stored] of Object.entries(record.inputs)) {
    let value: string;
    if (stored.source === 'url' && stored.sourceUrl) value = stored.sourceUrl;
    else {
      const bytes = await readInput(opts.files, record.id, stored.file);
      if (!bytes) throw new InputsMissing(`input ${field} is no longer stored`);
      value = bytes.toString('base64');
    }
    values.set(inputRef(field), value);
  }
  const swap = (v: string | undefined) => (v !== undefined ? (values.get(v) ?? v) : undefined);
  const callback =
    opts.publicUrl && opts.callbackToken
      ? { callback_url: `${opts.publicUrl}/api/callbacks/kling/${opts.callbackToken}` }
      : {};

  if (record.kind === 'motion-control') {
    const q = record.request;
    const uploadId = record.reference?.uploadId;
    return {
      ...q,
      image_url: swap(q.image_url) ?? q.image_url,
      video_url:
        uploadId !== undefined && record.uploadBase !== null
          ? await opts.uploads.signedUrl(record.uploadBase, uploadId, record.id)
          : q.video_url,
      external_task_id: record.externalTaskId,
      ...callback,
    };
  }
  const q = record.request;
  return {
    ...q,
    ...(q.image ? { image: swap(q.image) } : {}),
    ...(q.image_tail ? { image_tail: swap(q.image_tail) } : {}),
    ...(q.static_mask ? { static_mask: swap(q.static_mask) } : {}),
    ...(q.dynamic_masks
      ? { dynamic_masks: q.dynamic_masks.map((m) => ({ ...m, mask: swap(m.mask) ?? m.mask })) }
      : {}),
    external_task_id: record.externalTaskId,
    ...callback,
  };
}
