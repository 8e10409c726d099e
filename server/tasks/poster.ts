import { rm, stat } from 'node:fs/promises';
import { exists, type FileStorage } from '../files/file-storage.ts';
import { FfmpegError, runFfmpeg } from '../simulator/render/ffmpeg-process.ts';
import type { TaskRecord } from './task-record.ts';

/**
 * A result's poster: one frame of the archived video as a small JPEG, for the gallery's cards (the input
 * still says what went in, not what came out). Made with the bundled ffmpeg on the first request and kept
 * beside the video in the file storage, so each task's video is decoded once, ever (on any replica).
 */
export const posterRelPath = (taskId: string) => `videos/${taskId}.poster.jpg`;

/** Beside the video when no frame could be read from it: later requests answer at once, without ffmpeg. */
const failedRelPath = (taskId: string) => `videos/${taskId}.poster.failed`;

/** Wide enough for a card on a 2× screen, small enough that a gallery page of them loads at once. */
export const POSTER_MAX_WIDTH = 640;

/**
 * ffmpeg runs at once, across all tasks: a gallery scrolled to 40 unseen results must not start 40
 * decoders on a 2-core machine; the rest wait their turn.
 */
const MAX_RUNS = 2;
const RUN_TIMEOUT_MS = 20_000;

/** One ffmpeg per task at a time: concurrent first requests share it. */
const making = new Map<string, Promise<string | null>>();

type PosterSource = Pick<TaskRecord, 'id' | 'videoPath' | 'videoDuration' | 'resultDuration'>;

/**
 * The poster's key, made from the archived video on first use; null when the task has no archived video
 * or no frame could be read from it (remembered, so a broken video is never decoded again).
 */
export async function posterOf(files: FileStorage, record: PosterSource): Promise<string | null> {
  if (!record.videoPath) return null;
  const key = posterRelPath(record.id);
  if (await exists(files, key)) return key;
  let pending = making.get(key);
  if (!pending) {
    pending = makeOnce(files, record, key).finally(() => making.delete(key));
    making.set(key, pending);
  }
  return pending;
}

async function makeOnce(files: FileStorage, record: PosterSource, key: string): Promise<string | null> {
  const failed = failedRelPath(record.id);
  if (await exists(files, failed)) return null;
  // The video is read from a local file: itself locally, the cached copy with S3 (usually the archive's own).
  const made = await files
    .withLocalFile(record.videoPath!, async (video) => {
      const tmp = await files.stagingPath(key);
      try {
        // The middle of the clip shows the motion; a clip too short to seek into still has its first frame.
        const seconds = Number(record.videoDuration ?? record.resultDuration);
        const at = Number.isFinite(seconds) && seconds > 0.4 ? seconds / 2 : 0;
        if (!(await grabFrame(video, tmp, at)) && !(at > 0 && (await grabFrame(video, tmp, 0)))) {
          await files.put(failed, new Uint8Array(0)).catch(() => {});
          return null;
        }
        // Stored whole or not at all: a concurrent request (another replica) never serves a half-written file.
        await files.putFile(key, tmp, { move: true, contentType: 'image/jpeg' });
        return key;
      } catch {
        // ffmpeg missing or killed by the deadline, or the store refused: not the video's fault, so nothing is
        // remembered.
        return null;
      } finally {
        await rm(tmp, { force: true }).catch(() => {});
      }
    })
    // The copy could not be fetched (the bucket unreachable): not the video's fault either.
    .catch(() => null);
  return made ?? null;
}

let running = 0;
const waiting: (() => void)[] = [];

async function withTurn<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * One frame at `at` seconds into `out` as a JPEG at most POSTER_MAX_WIDTH wide; false when ffmpeg read no
 * frame (an undecodable file exits non-zero; a seek past the end writes nothing).
 */
async function grabFrame(video: string, out: string, at: number): Promise<boolean> {
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    // Before -i: a fast seek to the keyframe before, then decoding up to the exact moment.
    '-ss',
    at.toFixed(3),
    '-i',
    video,
    '-frames:v',
    '1',
    '-vf',
    `scale='min(${POSTER_MAX_WIDTH},iw)':-2`,
    '-pix_fmt',
    'yuvj420p',
    '-q:v',
    '4',
    '-f',
    'image2',
    '-c:v',
    'mjpeg',
    out,
  ];
  try {
    await withTurn(() => runFfmpeg(args, AbortSignal.timeout(RUN_TIMEOUT_MS)));
  } catch (err) {
    if (err instanceof FfmpegError) return false;
    throw err;
  }
  const info = await stat(out).catch(() => undefined);
  return !!info && info.size > 0;
}
