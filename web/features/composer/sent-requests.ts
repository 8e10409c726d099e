import type { QueryClient } from '@tanstack/react-query';
import { isFinalStatus, type TaskStatus } from '../../../contract/schemas/kling-task.ts';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { cachedTasks, taskKeys } from '../../api/task-queries.ts';

/** One request this tab sent with Generate, and the task it became. */
export interface SentRequest {
  fingerprint: string;
  taskId: string;
}

/** How far back "the same request" is remembered; older presses have long finished or scrolled away. */
const REMEMBERED = 50;

/** Appends a sent request, keeping the newest few. */
export function rememberSent(sent: readonly SentRequest[], entry: SentRequest): SentRequest[] {
  return [...sent, entry].slice(-REMEMBERED);
}

/**
 * The task still running for a request identical to `fingerprint`, if this tab sent one. A task whose
 * status nobody knows (its cache entry is gone) is not claimed to be running: the question would be a guess.
 */
export function runningTwin(
  fingerprint: string,
  sent: readonly SentRequest[],
  statusOf: (taskId: string) => TaskStatus | undefined,
): string | undefined {
  for (let i = sent.length - 1; i >= 0; i--) {
    const s = sent[i]!;
    if (s.fingerprint !== fingerprint) continue;
    const status = statusOf(s.taskId);
    if (status && !isFinalStatus(status)) return s.taskId;
  }
  return undefined;
}

/**
 * A task's status as the TanStack Query cache knows it: its detail entry and any history holding it.
 * Statuses only move forward, so a final status in any snapshot wins over a stale running one.
 */
export function cachedTaskStatus(client: QueryClient, taskId: string): TaskStatus | undefined {
  const seen: TaskStatus[] = [];
  const detail = client.getQueryData<StudioTask>(taskKeys.detail(taskId));
  if (detail) seen.push(detail.status);
  for (const [, history] of client.getQueriesData({ queryKey: taskKeys.lists() })) {
    const row = cachedTasks(history).find((t) => t.id === taskId);
    if (row) seen.push(row.status);
  }
  return seen.find(isFinalStatus) ?? seen[0];
}
