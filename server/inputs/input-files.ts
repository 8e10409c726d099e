import { join } from 'node:path';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import { exists, type FileStorage, readBytes } from '../files/file-storage.ts';
import type { CollectedImage } from './collect-images.ts';
import { makeThumbnail } from './image-facts.ts';
import type { StoredInputs } from './stored-inputs.ts';

/**
 * Input images live as files under `inputs/<task id>/` in the file storage (DATA_DIR or the bucket), not as
 * blobs in database rows: the database stays small and fast to back up, and the files can be served with
 * Range and caching like any file.
 */
export const inputsPrefix = (taskId: string) => `inputs/${taskId}/`;
export const inputKey = (taskId: string, file: string) => `${inputsPrefix(taskId)}${file}`;
/** The folder on local storage (tests and local-only tools look inside it). */
export const inputsDir = (dataDir: string, taskId: string) => join(dataDir, 'inputs', taskId);
export const THUMBNAIL_FILE = 'thumbnail.jpg';

/** Beside the start frame when it could not be decoded: later requests answer at once, without decoding. */
export const THUMBNAIL_FAILED_FILE = 'thumbnail.failed';

/** One decode per task at a time: concurrent first requests share it instead of decoding once each. */
const making = new Map<string, Promise<string | null>>();

/**
 * The thumbnail's key, made from the stored start frame on first use and kept beside it; null when the
 * start frame cannot be decoded, which is remembered (a marker) so it is never decoded again.
 */
export async function thumbnailOf(
  files: FileStorage,
  taskId: string,
  startFile: string,
): Promise<string | null> {
  const key = inputKey(taskId, THUMBNAIL_FILE);
  if (await exists(files, key)) return key;
  const once = `${taskId}\0${startFile}`;
  let pending = making.get(once);
  if (!pending) {
    pending = makeOnce(files, taskId, key, startFile).finally(() => making.delete(once));
    making.set(once, pending);
  }
  return pending;
}

async function makeOnce(
  files: FileStorage,
  taskId: string,
  key: string,
  startFile: string,
): Promise<string | null> {
  const failed = inputKey(taskId, THUMBNAIL_FAILED_FILE);
  if (await exists(files, failed)) return null;
  // A request that finished while this one waited (here or on another replica) may have made it already.
  if (await exists(files, key)) return key;
  const start = await readBytes(files, inputKey(taskId, startFile)).catch(() => undefined);
  // A missing start frame (inputs removed) has nothing to remember a failure by.
  if (!start) return null;
  let jpeg: Buffer;
  try {
    jpeg = await makeThumbnail(start);
  } catch {
    // Only a failed decode is remembered.
    await files.put(failed, new Uint8Array(0)).catch(() => {});
    return null;
  }
  try {
    // Every put lands whole (a rename locally, one PUT in S3): another replica never serves half of it.
    await files.put(key, jpeg, { contentType: 'image/jpeg' });
    return key;
  } catch {
    return null;
  }
}

/** A stored input's bytes (a few MB at most); undefined when it is no longer stored. */
export const readInput = (files: FileStorage, taskId: string, file: string) =>
  readBytes(files, inputKey(taskId, file)).catch(() => undefined);

/** `dynamic_masks[2].mask` → `dynamic_masks.2.mask`: the name used in files and in input URLs. */
export const inputName = (field: string) => field.replace(/\[(\d+)\]/g, '.$1');

/** Reference stored in place of an image in the saved request. */
export const inputRef = (field: string) => `input:${field}`;

export async function saveInputs(
  files: FileStorage,
  taskId: string,
  images: CollectedImage[],
): Promise<{ inputs: StoredInputs; hasThumbnail: boolean }> {
  const inputs: StoredInputs = {};
  for (const img of images) {
    // Only PNG and JPEG pass the rules, so the format is one of the two here.
    const format = img.facts.format === 'jpeg' ? 'jpeg' : 'png';
    const file = `${inputName(img.field)}.${format === 'jpeg' ? 'jpg' : 'png'}`;
    await files.put(inputKey(taskId, file), img.bytes, {
      contentType: format === 'jpeg' ? 'image/jpeg' : 'image/png',
    });
    inputs[img.field] = {
      file,
      format,
      width: img.facts.width,
      height: img.facts.height,
      bytes: img.bytes.length,
      source: img.source,
      ...(img.url ? { sourceUrl: img.url } : {}),
    };
  }
  // The thumbnail is made on its first request (routes/task-files.ts), not here: decoding the start
  // frame's pixels would put the costliest step of a create on every create's critical path.
  // A motion-control task's thumbnail is its character picture.
  return { inputs, hasThumbnail: images.some((i) => i.field === 'image' || i.field === 'image_url') };
}

export async function removeInputs(files: FileStorage, taskId: string): Promise<void> {
  await files.deletePrefix(inputsPrefix(taskId));
}

/** The request as stored: image fields replaced by references to their files (never base64 in a row). */
export function requestWithRefs(request: CreateRequest): CreateRequest {
  const out: CreateRequest = { ...request };
  if (out.image) out.image = inputRef('image');
  if (out.image_tail) out.image_tail = inputRef('image_tail');
  if (out.static_mask) out.static_mask = inputRef('static_mask');
  if (out.dynamic_masks)
    out.dynamic_masks = out.dynamic_masks.map((m, i) => ({
      ...m,
      mask: inputRef(`dynamic_masks[${i}].mask`),
    }));
  return out;
}
