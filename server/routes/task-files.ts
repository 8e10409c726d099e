import { Hono } from 'hono';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import { uploadRef } from '../../contract/schemas/motion-control-request.ts';
import type { InputImage, TaskInputs } from '../../contract/schemas/studio-api.ts';
import type { FileStorage } from '../files/file-storage.ts';
import { storedFileResponse } from '../http/file-response.ts';
import { inputKey, inputName, inputRef, readInput, thumbnailOf } from '../inputs/input-files.ts';
import type { StoredReference } from '../inputs/stored-inputs.ts';
import { notFound, StudioError } from '../lib/studio-error.ts';
import { posterOf } from '../tasks/poster.ts';
import type { TaskRecord } from '../tasks/task-record.ts';
import type { Uploads } from '../uploads/upload-store.ts';
import type { AppDeps } from './app-deps.ts';

const CONTENT_TYPES = { png: 'image/png', jpeg: 'image/jpeg' } as const;
const VIDEO_TYPES = { mp4: 'video/mp4', mov: 'video/quicktime' } as const;

/**
 * GET /api/tasks/:id/{inputs, inputs/:name, thumbnail, reference, video, poster}: files the studio keeps
 * for a task, from its file storage (DATA_DIR, or streamed from the bucket by whichever replica is asked).
 */
export function taskFileRoutes(deps: AppDeps) {
  const { files } = deps;
  const recordOf = async (id: string): Promise<TaskRecord> => {
    const record = await deps.store.get(id);
    if (!record) throw notFound();
    return record;
  };

  return new Hono()
    .get('/:id/inputs', async (c) => {
      const record = await recordOf(c.req.param('id'));
      c.header('cache-control', 'no-store');
      return c.json(await remixInputs(files, record, deps.uploads));
    })
    .get('/:id/inputs/:name', async (c) => {
      const record = await recordOf(c.req.param('id'));
      const name = c.req.param('name');
      const stored = Object.entries(record.inputs).find(([field]) => inputName(field) === name)?.[1];
      if (!stored) throw notFound('input image');
      return storedFileResponse(files, inputKey(record.id, stored.file), {
        contentType: CONTENT_TYPES[stored.format],
        rangeHeader: c.req.header('range'),
        cacheControl: 'private, max-age=31536000, immutable',
      });
    })
    .get('/:id/thumbnail', async (c) => {
      const record = await recordOf(c.req.param('id'));
      const start = record.inputs.image ?? record.inputs.image_url;
      const key = record.hasThumbnail && start ? await thumbnailOf(files, record.id, start.file) : null;
      if (!key) throw notFound('thumbnail');
      return storedFileResponse(files, key, {
        contentType: 'image/jpeg',
        cacheControl: 'private, max-age=31536000, immutable',
      });
    })
    .get('/:id/reference', async (c) => {
      const record = await recordOf(c.req.param('id'));
      const reference = record.reference;
      if (!reference) throw notFound('reference video');
      return storedFileResponse(files, inputKey(record.id, reference.file), {
        contentType: VIDEO_TYPES[reference.format],
        rangeHeader: c.req.header('range'),
        cacheControl: 'private, max-age=31536000, immutable',
        headers: { 'content-disposition': 'inline' },
      });
    })
    .get('/:id/poster', async (c) => {
      const record = await recordOf(c.req.param('id'));
      if (!record.videoPath || record.archivedAt === null)
        throw new StudioError(404, 'video_not_ready', 'This task has no archived video (yet), so no poster');
      const key = await posterOf(files, record);
      if (!key) throw notFound('poster');
      return storedFileResponse(files, key, {
        contentType: 'image/jpeg',
        cacheControl: 'private, max-age=31536000, immutable',
      });
    })
    .get('/:id/video', async (c) => {
      const record = await recordOf(c.req.param('id'));
      if (!record.videoPath || record.archivedAt === null)
        throw new StudioError(404, 'video_not_ready', 'This task has no archived video (yet)');
      const download = c.req.query('download') === '1';
      return storedFileResponse(files, record.videoPath, {
        contentType: 'video/mp4',
        rangeHeader: c.req.header('range'),
        cacheControl: 'private, max-age=31536000, immutable',
        headers: download
          ? { 'content-disposition': `attachment; filename="${downloadName(record)}"` }
          : { 'content-disposition': 'inline' },
      });
    });
}

/** `motion-studio-kling-v1-6-3f2a9c1d.mp4`: model and short id, safe in any file system. */
export function downloadName(record: Pick<TaskRecord, 'id' | 'model'>): string {
  return `motion-studio-${record.model}-${record.id.slice(0, 8)}.mp4`.replace(/[^A-Za-z0-9._-]/g, '-');
}

async function readStoredBase64(files: FileStorage, taskId: string, file: string): Promise<string> {
  const bytes = await readInput(files, taskId, file);
  if (!bytes)
    throw new StudioError(404, 'inputs_missing', 'The input images of this task are no longer stored');
  return bytes.toString('base64');
}

/** The stored images as served (`images`) and the values that replace their `input:<field>` references. */
async function storedImages(files: FileStorage, record: TaskRecord) {
  const images: Record<string, InputImage> = {};
  const values: Record<string, string> = {};
  for (const [field, stored] of Object.entries(record.inputs)) {
    const { file, sourceUrl, ...facts } = stored;
    images[field] = { ...facts, url: `/api/tasks/${record.id}/inputs/${inputName(field)}` };
    values[inputRef(field)] =
      stored.source === 'url' && sourceUrl ? sourceUrl : await readStoredBase64(files, record.id, file);
  }
  const swap = (v: string | undefined) => (v !== undefined ? (values[v] ?? v) : undefined);
  return { images, swap };
}

/** The stored request with every `input:<field>` reference replaced by the image again. */
async function remixInputs(
  files: FileStorage,
  record: TaskRecord,
  uploads: Pick<Uploads, 'get'>,
): Promise<TaskInputs> {
  const { images, swap } = await storedImages(files, record);
  if (record.kind === 'motion-control') {
    const reference = record.reference;
    if (!reference)
      throw new StudioError(404, 'inputs_missing', 'The reference video of this task is no longer stored');
    const { external_task_id: _ext, callback_url: _cb, ...rest } = record.request;
    const { file: _file, hasAudio: _audio, uploadId, sourceUrl, ...facts } = reference;
    const url = `/api/tasks/${record.id}/reference`;
    return {
      kind: 'motion-control',
      request: {
        ...rest,
        image_url: swap(rest.image_url) ?? rest.image_url,
        video_url: await remixVideoUrl(reference, url, uploads),
      },
      images,
      reference: { ...facts, url },
    };
  }
  const { external_task_id: _ext, callback_url: _cb, ...rest } = record.request;
  const request: CreateRequest = {
    ...rest,
    ...(rest.image ? { image: swap(rest.image) } : {}),
    ...(rest.image_tail ? { image_tail: swap(rest.image_tail) } : {}),
    ...(rest.static_mask ? { static_mask: swap(rest.static_mask) } : {}),
    ...(rest.dynamic_masks
      ? { dynamic_masks: rest.dynamic_masks.map((m) => ({ ...m, mask: swap(m.mask) ?? m.mask })) }
      : {}),
  };
  return { kind: 'image2video', request, images };
}

/**
 * What a remix puts in `video_url`: the upload's `ref` while the upload is still stored (resubmitted as is),
 * the creator's https URL for a URL reference, else the task's own copy (`/api/tasks/:id/reference`),
 * which is no URL Kling can fetch: the studio uploads that file again (POST /api/uploads) for a new `ref`.
 */
async function remixVideoUrl(
  reference: StoredReference,
  ownUrl: string,
  uploads: Pick<Uploads, 'get'>,
): Promise<string> {
  if (reference.source === 'upload' && reference.uploadId && (await uploads.get(reference.uploadId)))
    return uploadRef(reference.uploadId);
  if (reference.source === 'url' && reference.sourceUrl) return reference.sourceUrl;
  return ownUrl;
}
