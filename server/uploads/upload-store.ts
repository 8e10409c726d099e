import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { UPLOAD_ID } from '../../contract/schemas/motion-control-request.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { notFound } from '../lib/studio-error.ts';
import type { Db } from '../tasks/database.ts';
import { judgeStoredVideo } from './judge-video.ts';
import { receiveToFile } from './upload-receiver.ts';
import { createUrlSigner } from './url-signing.ts';

export interface UploadRecord {
  id: string;
  format: 'mp4' | 'mov';
  bytes: number;
  width: number;
  height: number;
  durationMs: number;
  hasAudio: boolean;
  createdAt: number;
}

/** What a motion-control create needs of an upload. */
export interface Uploads {
  get(id: string): UploadRecord | undefined;
  /** Absolute path of the stored file. */
  filePath(id: string): string;
  /** A task uses it (kept while that task is unfinished). */
  claim(id: string, taskId: string): void;
  /** Kling's copy of the URL: `${publicBase}/api/uploads/<id>/<taskId>/<sig>/reference.<ext>` */
  signedUrl(publicBase: string, id: string, taskId: string): string;
}

/** The whole store: what the upload routes and the process's lifecycle need besides. */
export interface UploadStore extends Uploads {
  /** Streams a body into a new upload, judged as it lands; nothing is left behind on any refusal. */
  receive(body: Readable): Promise<UploadRecord>;
  /** The upload behind a signed link, while the link may be served; undefined for every failure alike. */
  servable(id: string, taskId: string, signature: string, file: string): UploadRecord | undefined;
  /** Removes uploads older than the TTL that no unfinished task claims; resolves to how many. */
  sweep(): Promise<number>;
  /**
   * At startup, before the first request: removes stray partial files of a crash and files without a row
   * (synchronously), then sweeps now and every so often (an unref'd timer).
   */
  start(): void;
  stop(): void;
}

export const uploadsDir = (dataDir: string) => join(dataDir, 'uploads');
const PARTIAL = '.partial';
const fileName = (id: string, format: UploadRecord['format']) => `${id}.${format}`;
/** The last segment of a signed link: Kling's downloader sees a plain video file name. */
export const referenceFileName = (format: UploadRecord['format']) => `reference.${format}`;

/**
 * Kling may fetch the reference only while it works on the task: once it has been sent, until it ends. A
 * queued task with `sent_at` is being sent right now (Kling fetches the reference during the create).
 */
const SERVABLE_STATUSES = ['submitted', 'processing'];
/** A task in any other status no longer needs its reference. */
const FINISHED_STATUSES = ['succeed', 'failed', 'cancelled'];

/** How often the sweeper looks: a fraction of the TTL, at most every 15 minutes. */
export const sweepIntervalMs = (ttlMs: number) => Math.max(1000, Math.min(ttlMs / 4, 15 * 60_000));

interface UploadRow {
  id: string;
  format: UploadRecord['format'];
  bytes: number;
  width: number;
  height: number;
  duration_ms: number;
  has_audio: number;
  created_at: number;
}

const fromRow = (r: UploadRow): UploadRecord => ({
  id: r.id,
  format: r.format,
  bytes: r.bytes,
  width: r.width,
  height: r.height,
  durationMs: r.duration_ms,
  hasAudio: r.has_audio === 1,
  createdAt: r.created_at,
});

/** The status lists are constants of this file, never input: they are written into the SQL as is. */
const sqlList = (list: readonly string[]) => list.map((s) => `'${s}'`).join(', ');

/**
 * Uploaded reference videos: a row in SQLite with the facts, the file in DATA_DIR/uploads/. A body lands
 * as `<id>.partial` and becomes `<id>.<format>` only once judged whole, so a file with a final name is
 * always a complete, checked video, and a partial one is always garbage.
 */
export function createUploadStore(opts: {
  db: Db;
  dataDir: string;
  clock: Clock;
  log: Logger;
  ttlMs: number;
}): UploadStore {
  const { db, clock, log, ttlMs } = opts;
  const dir = uploadsDir(opts.dataDir);
  const signer = createUrlSigner(opts.dataDir);
  const q = {
    get: db.prepare<[string], UploadRow>('SELECT * FROM uploads WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO uploads (id, format, bytes, width, height, duration_ms, has_audio, created_at)
       VALUES (@id, @format, @bytes, @width, @height, @durationMs, @hasAudio, @createdAt)`,
    ),
    claim: db.prepare('INSERT OR IGNORE INTO upload_claims (upload_id, task_id) VALUES (?, ?)'),
    claimedByServable: db
      .prepare<[string, string], number>(
        `SELECT 1 FROM upload_claims c JOIN tasks t ON t.id = c.task_id
         WHERE c.upload_id = ? AND c.task_id = ?
           AND (t.status IN (${sqlList(SERVABLE_STATUSES)}) OR (t.status = 'queued' AND t.sent_at IS NOT NULL))`,
      )
      .pluck(),
    expired: db.prepare<[number], Pick<UploadRow, 'id' | 'format'>>(
      `SELECT u.id, u.format FROM uploads u WHERE u.created_at < ? AND NOT EXISTS (
           SELECT 1 FROM upload_claims c JOIN tasks t ON t.id = c.task_id
           WHERE c.upload_id = u.id AND t.status NOT IN (${sqlList(FINISHED_STATUSES)}))`,
    ),
    remove: db.prepare('DELETE FROM uploads WHERE id = ?'),
    allIds: db.prepare<[], string>('SELECT id FROM uploads').pluck(),
  };
  const get = (id: string) => {
    const row = q.get.get(id);
    return row ? fromRow(row) : undefined;
  };
  const filePath = (id: string) => {
    const record = get(id);
    if (!record) throw notFound('upload');
    return join(dir, fileName(id, record.format));
  };
  let timer: NodeJS.Timeout | undefined;

  const sweep = async () => {
    // Rows first, in one transaction: from then on a claim of a removed upload fails (foreign key), so a
    // create can never hand Kling a link to a file that is about to go.
    const gone = db.transaction((cutoff: number) => {
      const rows = q.expired.all(cutoff);
      for (const r of rows) q.remove.run(r.id);
      return rows;
    })(clock.now() - ttlMs);
    for (const r of gone) await rm(join(dir, fileName(r.id, r.format)), { force: true });
    if (gone.length) log.info('removed unused uploads', { count: gone.length });
    return gone.length;
  };

  return {
    get,
    filePath,
    claim(id, taskId) {
      try {
        q.claim.run(id, taskId);
      } catch (e) {
        if (e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
          throw notFound('upload');
        throw e;
      }
    },
    signedUrl(publicBase, id, taskId) {
      const record = get(id);
      if (!record) throw notFound('upload');
      const base = publicBase.replace(/\/+$/, '');
      return `${base}/api/uploads/${id}/${taskId}/${signer.sign(id, taskId)}/${referenceFileName(record.format)}`;
    },

    async receive(body) {
      const id = randomUUID();
      await mkdir(dir, { recursive: true });
      const partial = join(dir, `${id}${PARTIAL}`);
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
        await rename(partial, join(dir, fileName(id, record.format)));
        q.insert.run({ ...record, hasAudio: record.hasAudio ? 1 : 0 });
        return record;
      } catch (e) {
        await rm(partial, { force: true });
        throw e;
      }
    },

    servable(id, taskId, signature, file) {
      // Every check runs whatever the others say, and every failure looks the same to the caller.
      const wellFormed = UPLOAD_ID.test(id) && UPLOAD_ID.test(taskId);
      const genuine = signer.verify(id, taskId, signature);
      const record = wellFormed ? get(id) : undefined;
      const claimed = wellFormed && q.claimedByServable.get(id, taskId) === 1;
      const named = record !== undefined && file === referenceFileName(record.format);
      return genuine && claimed && named ? record : undefined;
    },

    sweep,

    start() {
      mkdirSync(dir, { recursive: true });
      const known = new Set(q.allIds.all());
      // Synchronous, so no upload can be under way yet: a partial file is a crash's leftover, and a final
      // name without a row was renamed just before a crash could record it.
      for (const name of readdirSync(dir)) {
        const id = name.replace(/\.[^.]*$/, '');
        if (name.endsWith(PARTIAL) || !known.has(id)) rmSync(join(dir, name), { force: true });
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
