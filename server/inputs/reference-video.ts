import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isHttpUrl } from '../../contract/images/base64.ts';
import { LIMITS } from '../../contract/limits.ts';
import { fieldLabel } from '../../contract/rules/field-labels.ts';
import { uploadIdOf } from '../../contract/schemas/motion-control-request.ts';
import type { Violation } from '../../contract/schemas/studio-api.ts';
import {
  FORMAT_SNIFF_BYTES,
  readVideoFacts,
  type VideoFacts,
} from '../../contract/video/container-header.ts';
import type { FileStorage } from '../files/file-storage.ts';
import { type FileFetchOptions, SafeFetchError, safeFetchToFile } from '../lib/safe-fetch.ts';
import { fileByteSource } from '../uploads/judge-video.ts';
import type { Uploads } from '../uploads/upload-store.ts';
import { FETCH_WORDS } from './collect-images.ts';
import { inputKey } from './input-files.ts';
import type { StoredReference } from './stored-inputs.ts';

/** What reading a reference needs of the uploads store. */
export type ReferenceUploads = Pick<Uploads, 'get' | 'fileKey'>;

/** A motion-control request's reference video, with facts from its real bytes. */
export interface CollectedReference {
  facts: VideoFacts;
  /** The first bytes, so a refusal can say what the file really is. */
  head: Uint8Array | undefined;
  source: 'upload' | 'url';
  uploadId?: string;
  sourceUrl?: string;
  /** An upload's bytes: its key in the file storage. */
  uploadKey?: string;
  /** A URL's bytes: the studio's download, a local file. */
  path?: string;
  /** Removes the download unless `keepReference` moved it to a task (idempotent; no-op for uploads). */
  release(): Promise<void>;
}

const FIELD = 'video_url';
const violation = (rule: string, words: string): Violation => ({
  field: FIELD,
  rule,
  message: `${fieldLabel(FIELD)}: ${words}`,
});

/** The creator's upload is gone (uploads not used by a task expire): they add it again. */
export const uploadMissing = (): Violation =>
  violation(
    'upload_missing',
    'the uploaded video is no longer stored (uploads are kept for a limited time); add the video again',
  );

/**
 * Downloads land here on local storage (inside DATA_DIR, so moving one into a task's inputs is a rename;
 * with S3 they are staged in the cache) and never stay: a refused request's download is removed before
 * the answer.
 */
export const downloadsDir = (dataDir: string) => join(dataDir, 'downloads');

/** At startup, before the first request: a download still there is a crash's leftover (up to 100 MB). */
export function removeStaleDownloads(dataDir: string): void {
  rmSync(downloadsDir(dataDir), { recursive: true, force: true });
}

/**
 * The reference of an unparsed body: an upload's record (`upload:<id>`), or an https URL downloaded
 * through the safe fetcher, streamed to a file (≤ 100 MB, never whole in memory) and read box by box.
 * `uploadBase` undefined means Kling could not fetch an upload, so one is refused before it is looked up.
 * Anything else (plain http, base64, garbage) is left to the shared rules, which name it; nothing is fetched.
 */
export async function collectReference(
  body: unknown,
  opts: {
    uploads: ReferenceUploads;
    uploadsReachable: boolean;
    files: FileStorage;
    fetch: Omit<FileFetchOptions, 'maxBytes'>;
  },
): Promise<{ reference: CollectedReference | undefined; violations: Violation[] }> {
  const value =
    body && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)[FIELD]
      : undefined;
  if (typeof value !== 'string' || !value) return { reference: undefined, violations: [] };

  const uploadId = uploadIdOf(value);
  if (uploadId !== undefined) {
    if (!opts.uploadsReachable)
      return {
        reference: undefined,
        violations: [
          violation(
            'public_url_required',
            'Kling downloads an uploaded video from the studio, so PUBLIC_URL must be set on the server (the studio’s public https address) before uploads can be used; give the video’s https URL instead, or ask the operator to set PUBLIC_URL',
          ),
        ],
      };
    const upload = await opts.uploads.get(uploadId);
    if (!upload)
      return {
        reference: undefined,
        violations: [uploadMissing()],
      };
    const { format, bytes, width, height, durationMs, hasAudio } = upload;
    return {
      reference: {
        facts: { format, bytes, width, height, durationMs, hasAudio },
        head: undefined,
        source: 'upload',
        uploadId,
        uploadKey: await opts.uploads.fileKey(uploadId),
        release: async () => {},
      },
      violations: [],
    };
  }

  if (!isHttpUrl(value) || !/^https:\/\//i.test(value)) return { reference: undefined, violations: [] };
  const path = await opts.files.stagingPath(`downloads/${randomUUID()}.video`);
  const release = () => rm(path, { force: true });
  try {
    await safeFetchToFile(value, path, { ...opts.fetch, maxBytes: LIMITS.videoMaxBytes });
  } catch (e) {
    await release();
    const reason = e instanceof SafeFetchError ? e.reason : 'network';
    if (reason === 'too_large')
      return {
        reference: undefined,
        violations: [
          violation(
            'video_too_large',
            `the URL is larger than the ${LIMITS.videoMaxBytes / (1024 * 1024)} MB limit`,
          ),
        ],
      };
    const detail = e instanceof SafeFetchError && reason === 'http_status' ? ` (${e.message})` : '';
    return {
      reference: undefined,
      violations: [violation('video_url_unusable', `the URL ${FETCH_WORDS[reason]}${detail}`)],
    };
  }
  try {
    const { facts, head } = await readFileFacts(path);
    return {
      reference: { facts, head, source: 'url', sourceUrl: value, path, release },
      violations: [],
    };
  } catch (e) {
    await release();
    throw e;
  }
}

/** A video file's facts from its boxes (never decoded), and its first bytes. */
export async function readFileFacts(path: string): Promise<{ facts: VideoFacts; head: Uint8Array }> {
  const fh = await open(path, 'r');
  try {
    const source = fileByteSource(fh, (await fh.stat()).size);
    const head = await source.read(0, FORMAT_SNIFF_BYTES);
    return { facts: await readVideoFacts(source), head };
  } finally {
    await fh.close();
  }
}

/** The file name of a task's stored reference. */
export const referenceFile = (format: 'mp4' | 'mov') => `reference.${format}`;

/**
 * Puts the reference with the task's inputs: an upload's file is copied in the store (a hard link locally,
 * CopyObject in S3), so it outlives the upload; a download is moved in. Returns what the record keeps.
 */
export async function keepReference(
  files: FileStorage,
  taskId: string,
  reference: CollectedReference,
): Promise<StoredReference> {
  const format = reference.facts.format === 'mov' ? 'mov' : 'mp4';
  const file = referenceFile(format);
  const dest = inputKey(taskId, file);
  if (reference.path !== undefined)
    await files.putFile(dest, reference.path, {
      move: true,
      contentType: format === 'mov' ? 'video/quicktime' : 'video/mp4',
    });
  else if (reference.uploadKey !== undefined) await files.copy(reference.uploadKey, dest);
  else throw new Error('a collected reference has either a download or an upload');
  const { bytes, width, height, durationMs, hasAudio } = reference.facts;
  return {
    file,
    format,
    bytes,
    width,
    height,
    durationMs,
    hasAudio,
    source: reference.source,
    ...(reference.uploadId ? { uploadId: reference.uploadId } : {}),
    ...(reference.sourceUrl ? { sourceUrl: reference.sourceUrl } : {}),
  };
}
