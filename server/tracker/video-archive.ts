import { mkdir, open, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type FileFetchOptions, SafeFetchError, safeFetchToFile } from '../lib/safe-fetch.ts';

/**
 * Kling deletes results after 30 days, so the studio keeps its own copy: streamed (never buffered) into
 * DATA_DIR/videos/<id>.mp4 through the safe fetcher, with a size cap and a deadline.
 */
export const videoRelPath = (taskId: string) => join('videos', `${taskId}.mp4`);

export class ArchiveError extends Error {}

export async function archiveVideo(
  url: string,
  dataDir: string,
  taskId: string,
  opts: FileFetchOptions,
): Promise<{ relPath: string; bytes: number }> {
  const relPath = videoRelPath(taskId);
  const dest = join(dataDir, relPath);
  try {
    await mkdir(dirname(dest), { recursive: true });
  } catch (e) {
    // A full disk can already refuse the folder: the same failure as refusing the file.
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new SafeFetchError('write', `the videos folder could not be created (${code})`, code);
  }
  const bytes = await safeFetchToFile(url, dest, opts);
  if (!(await looksLikeMp4(dest))) {
    await rm(dest, { force: true });
    throw new ArchiveError('the downloaded file is not an MP4 video');
  }
  return { relPath, bytes };
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
