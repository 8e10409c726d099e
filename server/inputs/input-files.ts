import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import type { StoredInputs } from '../tasks/task-record.ts';
import type { CollectedImage } from './collect-images.ts';
import { makeThumbnail } from './image-facts.ts';

/**
 * Input images live as files in DATA_DIR/inputs/<task id>/, not as blobs in SQLite rows: the database
 * stays small and fast to back up, and the files can be served with Range and caching like any file.
 */
export const inputsDir = (dataDir: string, taskId: string) => join(dataDir, 'inputs', taskId);
export const THUMBNAIL_FILE = 'thumbnail.jpg';

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
  const start = images.find((i) => i.field === 'image');
  let hasThumbnail = false;
  if (start) {
    await writeFile(join(dir, THUMBNAIL_FILE), await makeThumbnail(start.bytes));
    hasThumbnail = true;
  }
  return { inputs, hasThumbnail };
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
