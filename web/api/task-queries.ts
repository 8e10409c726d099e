import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { isFinalStatus } from '../../contract/schemas/kling-task.ts';
import {
  type StudioTask,
  type TaskList,
  taskEnvelopeSchema,
  taskListQuerySchema,
  taskListSchema,
} from '../../contract/schemas/studio-api.ts';
import { apiFetch } from './client.ts';
import { keepNewerRows, keepNewerTask } from './task-order.ts';

/** `GET /api/tasks` parameters after the contract's defaults are applied, so equal lists share one key. */
export type TaskListParams = z.output<typeof taskListQuerySchema>;

/** How often to poll an unfinished task when the event stream cannot be relied on. */
export const TASK_POLL_MS = 2000;
/** How often a list with nothing running is re-read while the stream is down: tasks may start elsewhere. */
export const TASK_IDLE_POLL_MS = 5000;

/** `false` turns polling off (the event stream is live and keeps the cache current). */
export interface PollOptions {
  pollMs?: number | false;
}

/** Key factory: invalidating `taskKeys.all` refreshes every task query at once. */
export const taskKeys = {
  all: ['tasks'] as const,
  lists: () => [...taskKeys.all, 'list'] as const,
  list: (params: TaskListParams) => [...taskKeys.lists(), params] as const,
  details: () => [...taskKeys.all, 'detail'] as const,
  detail: (id: string) => [...taskKeys.details(), id] as const,
};

export const normalizeListParams = (params: Partial<TaskListParams> = {}): TaskListParams =>
  taskListQuerySchema.parse(params);

export const hasUnfinished = (list: TaskList | undefined): boolean =>
  !!list?.tasks.some((t) => !isFinalStatus(t.status));

const taskPath = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;

export const taskQueries = {
  list: (params: Partial<TaskListParams> = {}, { pollMs = TASK_POLL_MS }: PollOptions = {}) => {
    const p = normalizeListParams(params);
    const search = new URLSearchParams({ page: String(p.page), pageSize: String(p.pageSize) });
    if (p.status) search.set('status', p.status);
    return queryOptions({
      queryKey: taskKeys.list(p),
      queryFn: ({ signal }) => apiFetch(`/api/tasks?${search}`, taskListSchema, { signal }),
      // Paging or filtering keeps the old page on screen until the new one arrives: no empty flash.
      placeholderData: keepPreviousData,
      // A page fetched before an event landed never takes a row back to an earlier state.
      structuralSharing: keepNewerRows,
      // Without the stream, only polling shows a task started in another tab: briskly while something
      // on the page runs, slowly otherwise.
      refetchInterval: (query) => {
        if (pollMs === false) return false;
        return hasUnfinished(query.state.data) ? pollMs : Math.max(pollMs, TASK_IDLE_POLL_MS);
      },
    });
  },

  detail: (id: string, { pollMs = TASK_POLL_MS }: PollOptions = {}) =>
    queryOptions({
      queryKey: taskKeys.detail(id),
      queryFn: ({ signal }) =>
        apiFetch(taskPath(id), taskEnvelopeSchema, { signal }).then((r): StudioTask => r.task),
      // A poll answer that crossed a newer event (e.g. "succeed") keeps the newer task.
      structuralSharing: keepNewerTask,
      refetchInterval: (query) => {
        const task = query.state.data;
        if (pollMs === false || query.state.status === 'error') return false;
        return task && isFinalStatus(task.status) ? false : pollMs;
      },
    }),
};

/** The archived result, as a file download (`Content-Disposition: attachment`). */
export const taskVideoDownloadUrl = (id: string) => `${taskPath(id)}/video?download=1`;
