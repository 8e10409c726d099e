/** Plain words for the ways a task can end without a video; shown as the task's status message. */
export const WAITING_FOR_CONFIRMATION =
  'Waiting for Kling to confirm this task (its answer to the create did not arrive). It will not be sent twice.';

export const NEVER_CONFIRMED =
  'Kling never confirmed this task, so it did not start and should not have been charged. Submit it again.';

export function klingFailure(message: string | undefined): string {
  const m = message?.trim();
  return m
    ? `Kling could not make this video: ${m}`
    : 'Kling could not make this video and gave no reason. Try again, or change the images or the prompt.';
}

export const NO_VIDEO_URL = 'Kling reported success but sent no video. Generate it again.';

export function archiveGaveUp(reason: string): string {
  return `Kling finished the video, but the studio could not keep a copy (${reason}).`;
}

/** What a file system error code means to someone who has never seen one. */
const DISK_WORDS: Record<string, string> = {
  ENOSPC: 'disk full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the disk is read-only',
  EACCES: 'the studio may not write to its data folder',
  EPERM: 'the studio may not write to its data folder',
};

/**
 * The copy could not be written: the studio's disk, not Kling, is the problem. Kling's own link is kept
 * (it works for 30 days), so freeing space is the fix, not generating (and paying) again.
 */
export function videoNotSaved(code: string | undefined): string {
  const words = (code && DISK_WORDS[code]) || 'the disk reported a read/write error';
  return `Kling finished the video, but the video could not be saved: ${words}. Free some space in the studio's data folder (DATA_DIR); Kling keeps its own copy for 30 days.`;
}
