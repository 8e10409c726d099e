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
