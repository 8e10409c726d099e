import { MODELS } from '../../../contract/capabilities/matrix.ts';
import { isFinalStatus } from '../../../contract/schemas/kling-task.ts';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';

/**
 * An honest progress reading. Kling reports no percentage, so all we know is how long the task has
 * been running and how long this model usually takes (contract/capabilities, `typicalSeconds`).
 * The bar fills toward the typical time but stops short of full: only the task finishing completes it.
 */
/**
 * `waiting`: still in the studio's own queue (not sent, no clock running at Kling); `queued`: sent, Kling
 * has not started it; then `running`, `overdue` (past the typical time) and `done`.
 */
export type ProgressPhase = 'waiting' | 'queued' | 'running' | 'overdue' | 'done';

export interface TaskProgress {
  phase: ProgressPhase;
  elapsedMs: number;
  typicalSeconds: number;
  /** Share of the typical time, at most PROGRESS_CAP; `null` when no honest share exists (overdue, done). */
  fraction: number | null;
}

/** The bar never shows more than this before the task is actually done. */
export const PROGRESS_CAP = 0.9;

type ProgressFields = Pick<
  StudioTask,
  'status' | 'model' | 'createdAt' | 'updatedAt' | 'finishedAt' | 'sentAt'
>;

export function taskProgress(task: ProgressFields, now: number): TaskProgress {
  const typicalSeconds = MODELS[task.model].typicalSeconds;
  if (isFinalStatus(task.status)) {
    const end = task.finishedAt ?? task.updatedAt;
    return { phase: 'done', elapsedMs: Math.max(0, end - task.createdAt), typicalSeconds, fraction: null };
  }
  // Waiting in the studio's queue is not Kling's time: the bar starts once the task is sent.
  if (task.status === 'queued')
    return { phase: 'waiting', elapsedMs: Math.max(0, now - task.createdAt), typicalSeconds, fraction: 0 };
  // The browser's clock may lag the server's: never show negative time.
  const elapsedMs = Math.max(0, now - (task.sentAt ?? task.createdAt));
  const share = elapsedMs / (typicalSeconds * 1000);
  if (share > 1) return { phase: 'overdue', elapsedMs, typicalSeconds, fraction: null };
  return {
    phase: task.status === 'submitted' ? 'queued' : 'running',
    elapsedMs,
    typicalSeconds,
    fraction: Math.min(share, PROGRESS_CAP),
  };
}
