import { randomUUID } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import type { CollectedImage } from './collect-images.ts';
import { makeThumbnail } from './image-facts.ts';
import type { StoredInputs } from './stored-inputs.ts';

/**
 * Input images live as files in DATA_DIR/inputs/<task id>/, not as blobs in SQLite rows: the database
 * stays small and fast to back up, and the files can be served with Range and caching like any file.
 */
export const inputsDir = (dataDir: string, taskId: string) => join(dataDir, 'inputs', taskId);
export const THUMBNAIL_FILE = 'thumbnail.jpg';

/** Beside the start frame when it could not be decoded: later requests answer at once, without decoding. */
export const THUMBNAIL_FAILED_FILE = 'thumbnail.failed';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** One decode per task at a time: concurrent first requests share it instead of decoding once each. */
const making = new Map<string, Promise<string | null>>();

/**
 * The thumbnail's path, made from the stored start frame on first use and kept beside it; null when the
 * start frame cannot be decoded, which is remembered (a marker file) so it is never decoded again.
 */
export async function ensureThumbnail(
  dataDir: string,
  taskId: string,
  startFile: string,
): Promise<string | null> {
  const dir = inputsDir(dataDir, taskId);
  const path = join(dir, THUMBNAIL_FILE);
  if (await exists(path)) return path;
  const key = `${dir}\0${startFile}`;
  let pending = making.get(key);
  if (!pending) {
    pending = makeOnce(dir, path, startFile).finally(() => making.delete(key));
    making.set(key, pending);
  }
  return pending;
}

async function makeOnce(dir: string, path: string, startFile: string): Promise<string | null> {
  const failed = join(dir, THUMBNAIL_FAILED_FILE);
  if (await exists(failed)) return null;
  // A request that finished while this one waited may have made it already.
  if (await exists(path)) return path;
  let jpeg: Buffer;
  try {
    jpeg = await makeThumbnail(await readFile(join(dir, startFile)));
  } catch {
    // Only a failed decode is remembered; a missing file (inputs removed) has nothing to remember it by.
    if (await exists(join(dir, startFile))) await writeFile(failed, '').catch(() => {});
    return null;
  }
  try {
    // Write then rename: another replica's first request never serves a half-written file.
    const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(tmp, jpeg);
    await rename(tmp, path);
    return path;
  } catch {
    return null;
  }
}

/** `dynamic_masks[2].mask` → `dynamic_masks.2.mask`: the name used in files and in input URLs. */
export const inputName = (field: string) => field.replace(/\[(\d+)\]/g, '.$1');

/** Reference stored in place of an image in the saved request. */
export const inputRef = (field: string) => `input:${field}`;

export async function saveInputs(
  dataDir: string,
  taskId: string,
  images: CollectedImage[],
): Promise<{ inputs: StoredInputs; hasThumbnail: boolean }> {
  const dir = inputsDir(dataDir, taskId);
  await mkdir(dir, { recursive: true });
  const inputs: StoredInputs = {};
  for (const img of images) {
    // Only PNG and JPEG pass the rules, so the format is one of the two here.
    const format = img.facts.format === 'jpeg' ? 'jpeg' : 'png';
    const file = `${inputName(img.field)}.${format === 'jpeg' ? 'jpg' : 'png'}`;
    await writeFile(join(dir, file), img.bytes);
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

export async function removeInputs(dataDir: string, taskId: string): Promise<void> {
  await rm(inputsDir(dataDir, taskId), { recursive: true, force: true });
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
