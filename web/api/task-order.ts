import { replaceEqualDeep } from '@tanstack/react-query';
import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import { isBehind } from '../../contract/tasks/status-order.ts';
import type { TaskHistory } from './task-queries.ts';

/**
 * Which of two snapshots of one task is newer. Events (SSE), create answers and poll answers reach the
 * cache in any order; whichever path a snapshot takes, an older one never replaces a newer one.
 */
/**
 * An older snapshot must never overwrite a newer one (a poll answer can land after a later event). A
 * snapshot with an earlier status is older whatever its timestamp says: two updates can share a
 * millisecond, and a server clock can step back.
 */
export const isStale = (incoming: StudioTask, cached: StudioTask | undefined): boolean =>
  !!cached && (isBehind(incoming.status, cached.status) || incoming.updatedAt < cached.updatedAt);

/**
 * `structuralSharing` for the task detail query: a fetched task that left the server before the event
 * now in the cache (a poll crossing an SSE event) keeps the cached one.
 */
export function keepNewerTask(cached: unknown, fetched: unknown): unknown {
  const old = cached as StudioTask | undefined;
  return replaceEqualDeep(old, isStale(fetched as StudioTask, old) ? old : fetched);
}

/**
 * `structuralSharing` for the history (an infinite query's pages): the fetched pages, but no row older than
 * the same task's row anywhere in the cached pages (a refetch that crossed an event keeps the event's row).
 */
export function keepNewerHistory(cached: unknown, fetched: unknown): unknown {
  const old = cached as TaskHistory | undefined;
  const history = fetched as TaskHistory;
  if (!old?.pages) return fetched;
  const known = new Map<string, StudioTask>();
  for (const page of old.pages) for (const t of page.tasks) known.set(t.id, t);
  const pages = history.pages.map((page) => ({
    ...page,
    tasks: page.tasks.map((t) => {
      const mine = known.get(t.id);
      return mine && isStale(t, mine) ? mine : t;
    }),
  }));
  return replaceEqualDeep(old, { ...history, pages });
}
