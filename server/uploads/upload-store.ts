import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { UPLOAD_ID } from '../../contract/schemas/motion-control-request.ts';
import type { FileStorage } from '../files/file-storage.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { notFound } from '../lib/studio-error.ts';
import type { UploadRow, UploadRows } from '../tasks/task-store.ts';
import { judgeStoredVideo } from './judge-video.ts';
import { receiveToFile } from './upload-receiver.ts';
import { createUrlSigner } from './url-signing.ts';

/** An upload's facts, as its row holds them. */
export type UploadRecord = UploadRow;

/** What a motion-control create needs of an upload. */
export interface Uploads {
  get(id: string): Promise<UploadRecord | undefined>;
  /** The stored file's key in the file storage (`uploads/<id>.<format>`). */
  fileKey(id: string): Promise<string>;
  /** A task uses it (kept while that task is unfinished). */
  claim(id: string, taskId: string): Promise<void>;
  /** Kling's copy of the URL: `${publicBase}/api/uploads/<id>/<taskId>/<sig>/reference.<ext>` */
  signedUrl(publicBase: string, id: string, taskId: string): Promise<string>;
}

/** The whole store: what the upload routes and the process's lifecycle need besides. */
export interface UploadStore extends Uploads {
  /** Streams a body into a new upload, judged as it lands; nothing is left behind on any refusal. */
  receive(body: Readable): Promise<UploadRecord>;
  /** The upload behind a signed link, while the link may be served; undefined for every failure alike. */
  servable(id: string, taskId: string, signature: string, file: string): Promise<UploadRecord | undefined>;
  /** Removes uploads older than the TTL that no unfinished task claims; resolves to how many. */
  sweep(): Promise<number>;
  /**
   * At startup, before the first request: removes stray partial files of a crash and files without a row
   * (in a bucket shared by replicas, only ones old enough that no upload can still be landing), then sweeps
   * now and every so often (an unref'd timer).
   */
  start(): Promise<void>;
  stop(): void;
}

export const uploadsDir = (dataDir: string) => join(dataDir, 'uploads');
const UPLOADS = 'uploads/';
/** What a crash can leave on local storage: a body still landing, a copy on its way into place. */
const LEFTOVER = /\.(partial|tmp)$/;
const uploadKey = (id: string, format: UploadRecord['format']) => `${UPLOADS}${id}.${format}`;
/**
 * A bucket is shared: another replica's upload is stored a moment before its row is, so only a file
 * without a row this much older than now is an orphan (one stored just before a crash could record it).
 */
const ORPHAN_AGE_MS = 60 * 60_000;
const CONTENT_TYPES = { mp4: 'video/mp4', mov: 'video/quicktime' } as const;
/** The last segment of a signed link: Kling's downloader sees a plain video file name. */
export const referenceFileName = (format: UploadRecord['format']) => `reference.${format}`;

/** How often the sweeper looks: a fraction of the TTL, at most every 15 minutes. */
export const sweepIntervalMs = (ttlMs: number) => Math.max(1000, Math.min(ttlMs / 4, 15 * 60_000));

/**
 * Uploaded reference videos: a row in the store with the facts, the file at `uploads/<id>.<format>` in the
 * file storage. A body lands in a staging file (`uploads/<id>.….partial` locally, the cache with S3) and is
 * stored under its final key only once judged whole, so a stored upload is always a complete, checked
 * video, and a partial one is always garbage.
 */
export function createUploadStore(opts: {
  rows: UploadRows;
  files: FileStorage;
  /** Where the link-signing key is kept (a file in DATA_DIR), unless `signingKey` gives the cluster's. */
  dataDir: string;
  signingKey?: Buffer;
  clock: Clock;
  log: Logger;
  ttlMs: number;
}): UploadStore {
  const { rows, files, clock, log, ttlMs } = opts;
  const signer = createUrlSigner(opts.signingKey ? { key: opts.signingKey } : opts.dataDir);
  const get = (id: string) => rows.get(id);
  const fileKey = async (id: string) => {
    const record = await get(id);
    if (!record) throw notFound('upload');
    return uploadKey(id, record.format);
  };
  let timer: NodeJS.Timeout | undefined;

  const sweep = async () => {
    // Rows first, in one transaction: from then on a claim of a removed upload fails, so a create can
    // never hand Kling a link to a file that is about to go.
    const gone = await rows.removeExpired(clock.now() - ttlMs);
    for (const r of gone) await files.delete(uploadKey(r.id, r.format));
    if (gone.length) log.info('removed unused uploads', { count: gone.length });
    return gone.length;
  };

  return {
    get,
    fileKey,
    claim: (id, taskId) => rows.claim(id, taskId),
    async signedUrl(publicBase, id, taskId) {
      const record = await get(id);
      if (!record) throw notFound('upload');
      const base = publicBase.replace(/\/+$/, '');
      return `${base}/api/uploads/${id}/${taskId}/${signer.sign(id, taskId)}/${referenceFileName(record.format)}`;
    },

    async receive(body) {
      const id = randomUUID();
      const partial = await files.stagingPath(`${UPLOADS}${id}`);
      let stored: string | undefined;
      try {
        const { head } = await receiveToFile(body, partial);
        const facts = await judgeStoredVideo(partial, head);
        const record: UploadRecord = {
          id,
          format: facts.format,
          bytes: facts.bytes,
          width: facts.width,
          height: facts.height,
          durationMs: facts.durationMs,
          hasAudio: facts.hasAudio,
          createdAt: clock.now(),
        };
        stored = uploadKey(id, record.format);
        await files.putFile(stored, partial, { move: true, contentType: CONTENT_TYPES[record.format] });
        await rows.insert(record);
        return record;
      } catch (e) {
        await rm(partial, { force: true });
        if (stored) await files.delete(stored).catch(() => {});
        throw e;
      }
    },

    async servable(id, taskId, signature, file) {
      // Every check runs whatever the others say, and every failure looks the same to the caller.
      const wellFormed = UPLOAD_ID.test(id) && UPLOAD_ID.test(taskId);
      const genuine = signer.verify(id, taskId, signature);
      const record = wellFormed ? await get(id) : undefined;
      const claimed = wellFormed && (await rows.claimedByServable(id, taskId));
      const named = record !== undefined && file === referenceFileName(record.format);
      return genuine && claimed && named ? record : undefined;
    },

    sweep,

    async start() {
      const known = new Set(await rows.allIds());
      // Before this replica's first request, so none of its uploads can be under way yet: a partial file
      // is a crash's leftover, and a final name without a row was stored just before a crash could record
      // it. Local storage is this process's alone; a bucket's newer rowless files may be another replica's.
      const orphanedBefore = files.kind === 'local' ? Number.POSITIVE_INFINITY : clock.now() - ORPHAN_AGE_MS;
      for await (const item of files.list(UPLOADS)) {
        const id = item.key.slice(UPLOADS.length).replace(/\..*$/, '');
        const leftover = LEFTOVER.test(item.key);
        if (leftover || (!known.has(id) && item.modifiedAt < orphanedBefore)) await files.delete(item.key);
      }
      const sweepLogged = () => {
        sweep().catch((e: unknown) => log.warn('sweeping uploads failed', { error: e }));
      };
      sweepLogged();
      timer = setInterval(sweepLogged, sweepIntervalMs(ttlMs));
      timer.unref();
    },

    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
