import { apiErrorSchema, type Upload, uploadEnvelopeSchema } from '../../contract/schemas/studio-api.ts';
import { ApiError } from './client.ts';

/** The Content-Type `POST /api/uploads` is told, by the format the bytes themselves show. */
export const VIDEO_CONTENT_TYPES = { mp4: 'video/mp4', mov: 'video/quicktime' } as const;

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadVideoOptions {
  format: keyof typeof VIDEO_CONTENT_TYPES;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
}

/** Thrown when the upload was given up on (a newer file was picked); nobody needs to be told. */
export class UploadAborted extends Error {
  constructor() {
    super('The upload was cancelled');
    this.name = 'UploadAborted';
  }
}

/**
 * The backend's answer when a motion-control request names an upload it no longer has (uploads last a
 * day): the clip must be uploaded again.
 */
export function isUploadMissing(err: unknown): boolean {
  return (
    err instanceof ApiError &&
    (err.code === 'upload_missing' || err.issues.some((i) => i.rule === 'upload_missing'))
  );
}

function errorOf(status: number, text: string): ApiError {
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const parsed = apiErrorSchema.safeParse(json);
  if (parsed.success) {
    const e = parsed.data.error;
    return new ApiError(status, e.code, e.message, e.issues ?? [], e.upstreamCode);
  }
  return new ApiError(status, 'http_error', `The server answered ${status}`);
}

/**
 * `POST /api/uploads`: the reference video as the raw body. XMLHttpRequest rather than fetch, because only
 * it reports how much of a 100 MB body has gone out. Same origin, so the session cookie goes along as it
 * does for every other call. Refusals become ApiError with the backend's issues, as apiFetch makes them.
 */
export function uploadVideo(body: Blob, { format, onProgress, signal }: UploadVideoOptions): Promise<Upload> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new UploadAborted());
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/uploads');
    xhr.setRequestHeader('Content-Type', VIDEO_CONTENT_TYPES[format]);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.({ loaded: e.loaded, total: e.total });
    };
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) return reject(errorOf(xhr.status, xhr.responseText));
      let json: unknown;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        return reject(
          new ApiError(
            xhr.status,
            'bad_response',
            `The server answered ${xhr.status} with something that is not JSON`,
          ),
        );
      }
      const parsed = uploadEnvelopeSchema.safeParse(json);
      if (!parsed.success)
        return reject(new ApiError(xhr.status, 'bad_response', 'The upload answer was not understood'));
      resolve(parsed.data.upload);
    };
    xhr.onerror = () =>
      reject(new ApiError(0, 'network', 'The studio server cannot be reached. Is it still running?'));
    xhr.onabort = () => reject(new UploadAborted());
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}
