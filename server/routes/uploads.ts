import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { LIMITS } from '../../contract/limits.ts';
import { fieldLabel } from '../../contract/rules/field-labels.ts';
import { uploadRef } from '../../contract/schemas/motion-control-request.ts';
import type { Upload } from '../../contract/schemas/studio-api.ts';
import { checkDiskFloor } from '../create/disk-floor.ts';
import { storedFileResponse } from '../http/file-response.ts';
import { BODY_GATE_RETRY_AFTER_S, BodyGate } from '../http/read-json-body.ts';
import { notFound, StudioError } from '../lib/studio-error.ts';
import { tooLarge, UPLOAD_FIELD } from '../uploads/upload-receiver.ts';
import type { UploadRecord } from '../uploads/upload-store.ts';
import type { AppDeps } from './app-deps.ts';

const CONTENT_TYPES = { mp4: 'video/mp4', mov: 'video/quicktime' } as const;
const ACCEPTED_TYPES = /^(video\/mp4|video\/quicktime)\s*(;|$)/i;

export const toUpload = (r: UploadRecord): Upload => ({
  id: r.id,
  ref: uploadRef(r.id),
  format: r.format,
  bytes: r.bytes,
  width: r.width,
  height: r.height,
  durationMs: r.durationMs,
});

/**
 * POST /api/uploads (a reference video as the raw body) and GET/HEAD /api/uploads/:id/:taskId/:sig/:file,
 * the signed link Kling downloads it from (open without the app token: it carries its own proof).
 */
export function uploadRoutes(deps: AppDeps) {
  // Uploads go to disk, not memory, but each holds a file and a socket for as long as its client takes:
  // as many at once as create bodies, in a gate of their own so uploads and creates never starve each other.
  const gate = new BodyGate(deps.config.http.maxBodiesInFlight);
  return new Hono()
    .post('/', async (c) => {
      const type = c.req.header('content-type') ?? '';
      if (!ACCEPTED_TYPES.test(type)) throw unsupportedType(type);
      const header = c.req.header('content-length');
      const declared = header === undefined || header === '' ? Number.NaN : Number(header);
      // From here on a refusal leaves a body unread: the connection is closed after the answer, so the
      // rest is never read (nor drained into nothing).
      if (Number.isFinite(declared) && declared > LIMITS.videoMaxBytes) {
        c.header('connection', 'close');
        throw tooLarge(LIMITS.videoMaxBytes, declared);
      }
      let release: () => void;
      try {
        await checkDiskFloor(deps.config.dataDir, deps.config.minFreeDiskBytes);
        release = gate.enter();
      } catch (e) {
        c.header('connection', 'close');
        if (e instanceof StudioError && e.status === 503)
          c.header('retry-after', String(BODY_GATE_RETRY_AFTER_S));
        throw e;
      }
      try {
        const record = await deps.uploads.receive(requestBody(c));
        deps.log.info('upload stored', { id: record.id, bytes: record.bytes, format: record.format });
        c.header('cache-control', 'no-store');
        return c.json({ upload: toUpload(record) }, 201);
      } catch (e) {
        c.header('connection', 'close');
        throw e;
      } finally {
        release();
      }
    })
    .get('/:id/:taskId/:sig/:file', async (c) => {
      const { id, taskId, sig, file } = c.req.param();
      const record = await deps.uploads.servable(id, taskId, sig, file);
      // One answer for every failure: a wrong signature, an unknown upload, a finished or foreign task.
      if (!record) throw notFound('file');
      const res = await storedFileResponse(deps.files, await deps.uploads.fileKey(id), {
        contentType: CONTENT_TYPES[record.format],
        rangeHeader: c.req.header('range'),
        cacheControl: 'private, no-store',
        headers: { 'content-disposition': 'inline' },
      });
      // Hono answers HEAD with the GET handler's headers; the file stream it would drop is closed here.
      if (c.req.method === 'HEAD') await res.body?.cancel();
      return res;
    });
}

function unsupportedType(type: string): StudioError {
  const got = type ? `"${type.slice(0, 60)}"` : 'none';
  const message = `${fieldLabel(UPLOAD_FIELD)}: send the video file itself as the body, with Content-Type video/mp4 or video/quicktime (got ${got})`;
  return new StudioError(415, 'unsupported_media_type', message, {
    issues: [{ field: UPLOAD_FIELD, rule: 'video_content_type', message }],
  });
}

/** The Node request itself when served by @hono/node-server (no web-stream wrapper); else the web body. */
function requestBody(c: Context): Readable {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  if (incoming instanceof Readable && !incoming.readableDidRead) return incoming;
  const body = c.req.raw.body;
  return body ? Readable.fromWeb(body as import('node:stream/web').ReadableStream) : Readable.from([]);
}
