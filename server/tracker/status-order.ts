import { isFinalStatus, type TaskStatus } from '../../contract/schemas/kling-task.ts';

/**
 * Statuses only move forward. Callbacks arrive late, twice or out of order, and a poll can cross a
 * callback in flight; ranking them makes every such interleaving converge on the same final state.
 */
const RANK: Record<TaskStatus, number> = { submitted: 0, processing: 1, succeed: 2, failed: 2 };

export function canMove(from: TaskStatus, to: TaskStatus): boolean {
  if (isFinalStatus(from)) return false;
  return RANK[to] > RANK[from];
}
