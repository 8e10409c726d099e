/** Plain words for what the queue does with a task; shown as the task's status message. */
export const WAITING_FOR_SLOT =
  'Kling says the account is running as many tasks as its plan allows. This task stays queued and goes out as soon as a slot frees.';

export const WAITING_FOR_RATE =
  'Kling asked the studio to slow down. This task stays queued and goes out again in a moment.';

export const WAITING_FOR_KLING =
  'The studio cannot reach Kling right now. This task stays queued and goes out once Kling answers again.';

export const CANCELLED = 'Cancelled before it was sent to Kling: nothing was charged.';

export const INPUTS_LOST =
  "The studio no longer has this task's pictures or reference video, so it was never sent (nothing was charged). Generate it again.";

export const NOT_SENT_BUG =
  'Something went wrong in the studio while sending this task, so it was not sent (nothing was charged). Try again; if it keeps happening, the server log has the details.';

export const SENT_AGAIN =
  'The studio sending this task stopped before Kling received it. It goes out again under the same id, so it cannot run twice.';

/** Messages a queued task may carry while it waits; cleared once Kling takes it. */
export const QUEUE_WORDS: readonly string[] = [
  WAITING_FOR_SLOT,
  WAITING_FOR_RATE,
  WAITING_FOR_KLING,
  SENT_AGAIN,
];
