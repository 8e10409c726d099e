import type { QueryClient } from '@tanstack/react-query';
import { isFinalStatus } from '../../contract/schemas/kling-task.ts';
import type { StudioTask, TaskList } from '../../contract/schemas/studio-api.ts';
import { isStale } from './task-order.ts';
import { type TaskListParams, taskKeys } from './task-queries.ts';

/**
 * Folding one task change (an SSE event, a create answer) into cached task queries without refetching
 * what we can compute, so rows update in place and nothing flickers.
 */

export type ListUpdate =
  /** Nothing to change on this page. */
  | { kind: 'same' }
  /** The page is updated in place. */
  | { kind: 'patched'; list: TaskList }
  /** The change moves tasks across page boundaries; only the server can say what this page holds now. */
  | { kind: 'refetch' };

const matches = (task: StudioTask, params: TaskListParams) => !params.status || task.status === params.status;

/** What one task change does to one cached page of `GET /api/tasks` (newest first). */
export function updateTaskList(list: TaskList, params: TaskListParams, task: StudioTask): ListUpdate {
  const index = list.tasks.findIndex((t) => t.id === task.id);
  if (index >= 0) {
    const cached = list.tasks[index]!;
    if (isStale(task, cached)) return { kind: 'same' };
    if (matches(task, params)) {
      const tasks = list.tasks.slice();
      tasks[index] = task;
      return { kind: 'patched', list: { ...list, tasks } };
    }
    // It left a status-filtered page (e.g. "Processing" → "Succeeded"): the next task slides up.
    return { kind: 'refetch' };
  }
  if (!matches(task, params)) return { kind: 'same' };
  const newest = list.tasks[0];
  const isNewest = !newest || task.createdAt >= newest.createdAt;
  if (list.page === 1 && isNewest) {
    // A task just created (here or in another tab): it goes on top of the first page.
    const tasks = [task, ...list.tasks].slice(0, list.pageSize);
    return { kind: 'patched', list: { ...list, tasks, total: list.total + 1 } };
  }
  // A new task on a later page shifts every row by one; a task entering a filter lands somewhere in
  // the middle. Either way the page's contents depend on rows we don't have.
  return { kind: 'refetch' };
}

/**
 * Whether a change moves the places of the tasks still waiting in the studio's queue: one joined it or was
 * moved (it is queued), one left it (sent or cancelled), or one ended, which frees a slot for the next.
 * Only the task that changed is announced, so the others' places must be read again.
 */
export function movesQueue(task: StudioTask, cached: StudioTask | undefined): boolean {
  if (task.status === 'queued' || cached?.status === 'queued') return true;
  return isFinalStatus(task.status) && !(cached && isFinalStatus(cached.status));
}

/** Queue changes come in bursts (a batch of 20, a slot freeing): one refresh for all within this long. */
export const QUEUE_REFRESH_MS = 150;

const hasWaiting = (data: unknown): boolean => {
  if (!data || typeof data !== 'object') return false;
  const tasks = 'tasks' in data ? (data as TaskList).tasks : [data as StudioTask];
  return tasks.some((t) => t.status === 'queued');
};

const pendingRefresh = new WeakMap<QueryClient, ReturnType<typeof setTimeout>>();

/**
 * Reads again every cached list page and task that shows a queued task ("Queued · 3rd"), once per burst of
 * queue changes. Pages off screen are only marked stale: they are read when shown again.
 */
export function refreshQueuePlaces(queryClient: QueryClient): void {
  if (pendingRefresh.has(queryClient)) return;
  pendingRefresh.set(
    queryClient,
    setTimeout(() => {
      pendingRefresh.delete(queryClient);
      void queryClient.invalidateQueries({
        queryKey: taskKeys.all,
        predicate: (query) => hasWaiting(query.state.data),
      });
    }, QUEUE_REFRESH_MS),
  );
}

/** The task as the cache knows it now: its detail query, else its row on any cached list page. */
function cachedTask(queryClient: QueryClient, id: string): StudioTask | undefined {
  const detail = queryClient.getQueryData<StudioTask>(taskKeys.detail(id));
  if (detail) return detail;
  for (const query of queryClient.getQueryCache().findAll({ queryKey: taskKeys.lists() })) {
    const found = (query.state.data as TaskList | undefined)?.tasks.find((t) => t.id === id);
    if (found) return found;
  }
  return undefined;
}

/**
 * Whether the cache shows a queued task other than `id`: only their places can move. The changed task's own
 * place comes with its event, so a lone task joining or leaving the queue needs no read.
 */
function othersWaiting(queryClient: QueryClient, id: string): boolean {
  return queryClient
    .getQueryCache()
    .findAll({ queryKey: taskKeys.all })
    .some((query) => {
      const data = query.state.data;
      if (!data || typeof data !== 'object') return false;
      const tasks = 'tasks' in data ? (data as TaskList).tasks : [data as StudioTask];
      return tasks.some((t) => t.status === 'queued' && t.id !== id);
    });
}

/** Applies one task change to the detail query and every cached list page. */
export function applyTaskChange(queryClient: QueryClient, task: StudioTask): void {
  const before = cachedTask(queryClient, task.id);
  if (movesQueue(task, before) && !(before && isStale(task, before)) && othersWaiting(queryClient, task.id))
    refreshQueuePlaces(queryClient);
  queryClient.setQueryData<StudioTask>(taskKeys.detail(task.id), (cached) =>
    isStale(task, cached) ? cached : task,
  );
  for (const query of queryClient.getQueryCache().findAll({ queryKey: taskKeys.lists() })) {
    const list = query.state.data as TaskList | undefined;
    const params = query.queryKey[2] as TaskListParams | undefined;
    if (!list || !params) continue;
    const update = updateTaskList(list, params, task);
    if (update.kind === 'patched') queryClient.setQueryData(query.queryKey, update.list);
    // A background refetch keeps the current page on screen until the new one arrives.
    else if (update.kind === 'refetch')
      void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
  }
}
