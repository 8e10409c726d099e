import {
  type InfiniteData,
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
} from '@tanstack/react-query';
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
import { keepNewerHistory, keepNewerTask } from './task-order.ts';

/**
 * Which history a list query reads: `GET /api/tasks` parameters after the contract's defaults, so equal
 * lists share one key. The cursor is not part of it: it is each page's own (the infinite query's page
 * param), handed back exactly as the server made it.
 */
export type TaskListParams = Omit<z.output<typeof taskListQuerySchema>, 'cursor'>;

/**
 * The history as cached: the pages read so far, newest first, each with the cursor of the page after it.
 * Keyset pages never shift: a task created meanwhile goes on top of the first page (task-cache.ts), and
 * the next page is still "older than the last one read".
 */
export type TaskHistory = InfiniteData<TaskList, string | null>;

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

export const normalizeListParams = (params: Partial<TaskListParams> = {}): TaskListParams => {
  const { cursor: _, ...rest } = taskListQuerySchema.parse(params);
  return rest;
};

/** Every task the history has read, newest first, each once (a task can sit at two pages' seam). */
export function historyTasks(history: TaskHistory | undefined): StudioTask[] {
  if (!history) return [];
  if (history.pages.length === 1) return history.pages[0]!.tasks;
  const seen = new Set<string>();
  const out: StudioTask[] = [];
  for (const page of history.pages)
    for (const task of page.tasks) {
      if (seen.has(task.id)) continue;
      seen.add(task.id);
      out.push(task);
    }
  return out;
}

/** Whether a cached value is a history (the list queries' data) rather than one task (a detail's). */
export const isTaskHistory = (data: unknown): data is TaskHistory =>
  !!data && typeof data === 'object' && Array.isArray((data as TaskHistory).pages);

/** The tasks a cached task query holds: a history's rows, or a detail's task. */
export function cachedTasks(data: unknown): readonly StudioTask[] {
  if (isTaskHistory(data)) return data.pages.flatMap((p) => p.tasks);
  return data && typeof data === 'object' && 'id' in data ? [data as StudioTask] : [];
}

export const hasUnfinished = (history: TaskHistory | undefined): boolean =>
  !!history?.pages.some((p) => p.tasks.some((t) => !isFinalStatus(t.status)));

const taskPath = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;

/** `GET /api/tasks` for one page: the filter, the size, and the cursor of the page before it. */
export function taskListUrl(p: TaskListParams, cursor: string | null): string {
  const search = new URLSearchParams({ pageSize: String(p.pageSize) });
  if (p.status) search.set('status', p.status);
  if (cursor) search.set('cursor', cursor);
  return `/api/tasks?${search}`;
}

export const taskQueries = {
  /**
   * The history, a page at a time by keyset (`fetchNextPage` reads the page after the last one read). No
   * total: the server does not count, and the gallery shows what is loaded and reads on as it nears the end.
   */
  list: (params: Partial<TaskListParams> = {}, { pollMs = TASK_POLL_MS }: PollOptions = {}) => {
    const p = normalizeListParams(params);
    return infiniteQueryOptions<
      TaskList,
      Error,
      TaskHistory,
      ReturnType<typeof taskKeys.list>,
      string | null
    >({
      queryKey: taskKeys.list(p),
      queryFn: ({ pageParam, signal }) => apiFetch(taskListUrl(p, pageParam), taskListSchema, { signal }),
      initialPageParam: null as string | null,
      getNextPageParam: (last: TaskList) => last.nextCursor,
      // Filtering keeps the old history on screen until the new one arrives: no empty flash.
      placeholderData: keepPreviousData,
      // A page fetched before an event landed never takes a row back to an earlier state.
      structuralSharing: keepNewerHistory,
      // Without the stream, only polling shows a task started in another tab: briskly while something
      // loaded runs, slowly otherwise. (A refetch reads each loaded page again, from the first.)
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
