import type { QueryClient } from '@tanstack/react-query';
import { isFinalStatus } from '../../contract/schemas/kling-task.ts';
import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import { isStale } from './task-order.ts';
import {
  cachedTasks,
  isTaskHistory,
  type TaskHistory,
  type TaskListParams,
  taskKeys,
} from './task-queries.ts';

/**
 * Folding one task change (an SSE event, a create answer) into cached task queries without refetching
 * what we can compute, so rows update in place and nothing flickers.
 */

export type HistoryUpdate =
  /** Nothing to change in this history. */
  | { kind: 'same' }
  /** The history with the change folded in. */
  | { kind: 'patched'; history: TaskHistory };

const matches = (task: StudioTask, params: TaskListParams) => !params.status || task.status === params.status;

function withPage(history: TaskHistory, index: number, tasks: StudioTask[]): TaskHistory {
  const pages = history.pages.slice();
  pages[index] = { ...pages[index]!, tasks };
  return { ...history, pages };
}

/**
 * What one task change does to one cached history of `GET /api/tasks` (newest first). Keyset pages make
 * every case computable: a cursor is a place in the order, not a row, so adding a row to a page or taking
 * one out leaves every later page's cursor right, and nothing needs reading again.
 */
export function updateHistory(history: TaskHistory, params: TaskListParams, task: StudioTask): HistoryUpdate {
  for (let p = 0; p < history.pages.length; p++) {
    const tasks = history.pages[p]!.tasks;
    const index = tasks.findIndex((t) => t.id === task.id);
    if (index < 0) continue;
    if (isStale(task, tasks[index]!)) return { kind: 'same' };
    const next = tasks.slice();
    // It left a status-filtered list (e.g. "Processing" → "Succeeded"): the rows below close up.
    if (matches(task, params)) next[index] = task;
    else next.splice(index, 1);
    return { kind: 'patched', history: withPage(history, p, next) };
  }
  if (!matches(task, params)) return { kind: 'same' };
  // A new task (here or in another tab) lands on top; one entering a filter lands among the others by its
  // creation time: before the first loaded task that is not newer than it.
  for (let p = 0; p < history.pages.length; p++) {
    const tasks = history.pages[p]!.tasks;
    const index = tasks.findIndex((t) => t.createdAt <= task.createdAt);
    if (index < 0) continue;
    return {
      kind: 'patched',
      history: withPage(history, p, [...tasks.slice(0, index), task, ...tasks.slice(index)]),
    };
  }
  // Older than everything loaded: it belongs to a page not read yet (it comes with that page), unless the
  // history is read to its end, where it goes last.
  const last = history.pages.length - 1;
  const lastPage = history.pages[last];
  if (!lastPage || lastPage.nextCursor !== null) return { kind: 'same' };
  return { kind: 'patched', history: withPage(history, last, [...lastPage.tasks, task]) };
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

const hasWaiting = (data: unknown): boolean => cachedTasks(data).some((t) => t.status === 'queued');

const pendingRefresh = new WeakMap<QueryClient, ReturnType<typeof setTimeout>>();

/**
 * Reads again every cached history and task that shows a queued task ("Queued · 3rd"), once per burst of
 * queue changes. Histories off screen are only marked stale: they are read when shown again.
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

/** The task as the cache knows it now: its detail query, else its row in any cached history. */
function cachedTask(queryClient: QueryClient, id: string): StudioTask | undefined {
  const detail = queryClient.getQueryData<StudioTask>(taskKeys.detail(id));
  if (detail) return detail;
  for (const query of queryClient.getQueryCache().findAll({ queryKey: taskKeys.lists() })) {
    const found = cachedTasks(query.state.data).find((t) => t.id === id);
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
    .some((query) => cachedTasks(query.state.data).some((t) => t.status === 'queued' && t.id !== id));
}

/** Applies one task change to the detail query and every cached history. */
export function applyTaskChange(queryClient: QueryClient, task: StudioTask): void {
  const before = cachedTask(queryClient, task.id);
  if (movesQueue(task, before) && !(before && isStale(task, before)) && othersWaiting(queryClient, task.id))
    refreshQueuePlaces(queryClient);
  queryClient.setQueryData<StudioTask>(taskKeys.detail(task.id), (cached) =>
    isStale(task, cached) ? cached : task,
  );
  for (const query of queryClient.getQueryCache().findAll({ queryKey: taskKeys.lists() })) {
    const history = query.state.data;
    const params = query.queryKey[2] as TaskListParams | undefined;
    if (!isTaskHistory(history) || !params) continue;
    const update = updateHistory(history, params, task);
    if (update.kind === 'patched') queryClient.setQueryData(query.queryKey, update.history);
  }
}
