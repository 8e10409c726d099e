import { isFinalStatus, type TaskStatus } from '../schemas/kling-task.ts';

/**
 * Statuses only move forward. Callbacks arrive late, twice or out of order, and a poll can cross a
 * callback in flight; ranking them makes every such interleaving converge on the same final state.
 * The backend uses it to refuse a backwards move, the browser to keep the newer of two snapshots.
 */
export const STATUS_RANK: Record<TaskStatus, number> = {
  queued: 0,
  submitted: 1,
  processing: 2,
  succeed: 3,
  failed: 3,
  cancelled: 3,
};

/** Whether a task in `from` may move to `to`: only forward, and never out of a final status. */
export function canMove(from: TaskStatus, to: TaskStatus): boolean {
  if (isFinalStatus(from)) return false;
  return STATUS_RANK[to] > STATUS_RANK[from];
}

/** Whether `status` is behind `than` (an older snapshot of the same task). */
export const isBehind = (status: TaskStatus, than: TaskStatus): boolean =>
  STATUS_RANK[status] < STATUS_RANK[than];
