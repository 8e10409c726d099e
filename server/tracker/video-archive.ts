import { open, rm } from 'node:fs/promises';
import type { FileStorage } from '../files/file-storage.ts';
import { type FileFetchOptions, SafeFetchError, safeFetchToFile } from '../lib/safe-fetch.ts';

/**
 * Kling deletes results after 30 days, so the studio keeps its own copy at `videos/<id>.mp4` in the file
 * storage: streamed (never buffered) through the safe fetcher, with a size cap and a deadline, into a
 * staging file (beside the video locally, in the cache with S3), checked to be an MP4, then stored. With S3
 * the staged file stays as the cached copy, so the poster is made without downloading the video back.
 */
export const videoRelPath = (taskId: string) => `videos/${taskId}.mp4`;

export class ArchiveError extends Error {}

export async function archiveVideo(
  url: string,
  files: FileStorage,
  taskId: string,
  opts: FileFetchOptions,
): Promise<{ relPath: string; bytes: number }> {
  const relPath = videoRelPath(taskId);
  let staged: string;
  try {
    staged = await files.stagingPath(relPath);
  } catch (e) {
    // A full disk can already refuse the folder: the same failure as refusing the file.
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new SafeFetchError('write', `the videos folder could not be created (${code})`, code);
  }
  try {
    const bytes = await safeFetchToFile(url, staged, opts);
    if (!(await looksLikeMp4(staged))) throw new ArchiveError('the downloaded file is not an MP4 video');
    try {
      await files.putFile(relPath, staged, { move: true, contentType: 'video/mp4' });
    } catch (e) {
      if (files.kind === 'local') {
        const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
        throw new SafeFetchError('write', `the video could not be stored (${code})`, code);
      }
      // The bucket refused or could not be reached: retried like a failed download, then reported.
      const reason = e instanceof Error ? e.name : 'unknown error';
      throw new ArchiveError(`the file storage did not take the video: ${reason}`);
    }
    return { relPath, bytes };
  } finally {
    // Moved into the store on success; whatever is left here is a failure's.
    await rm(staged, { force: true }).catch(() => {});
  }
}

/** ISO BMFF files carry `ftyp` at offset 4; an HTML error page or an empty body does not. */
async function looksLikeMp4(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await fh.read(head, 0, 12, 0);
    return bytesRead >= 8 && head.subarray(4, 8).toString('latin1') === 'ftyp';
  } finally {
    await fh.close();
  }
}
