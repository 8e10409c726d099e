import { type UseInfiniteQueryResult, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo } from 'react';
import type { TaskStatus } from '../../../contract/schemas/kling-task.ts';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { historyTasks, type TaskHistory, taskQueries } from '../../api/task-queries.ts';
import { needsNextPage } from './virtual-window.ts';

/** The API's largest page: 500 results are five requests, read one after another as the creator scrolls. */
export const GALLERY_PAGE_SIZE = 100;
/** The next page is read once the window's end is this many cards from the last one loaded. */
export const LOAD_AHEAD = GALLERY_PAGE_SIZE / 2;

export interface GalleryHistory {
  /** The history's query: its loading and error states. */
  query: UseInfiniteQueryResult<TaskHistory>;
  /** Every task loaded, newest first. */
  tasks: readonly StudioTask[];
  /** Still the previous filter's history (kept on screen until the new one arrives). */
  stale: boolean;
  /** The server has older tasks than those loaded. */
  hasMore: boolean;
  /** Reading the next page again after it failed. */
  retryMore: () => void;
}

/**
 * The gallery's history: `GET /api/tasks` a keyset page at a time, in one infinite query that task events
 * patch in place (api/task-cache.ts: a new task lands on top, a changed one where it is).
 */
export function useGalleryHistory(status: TaskStatus | undefined, pollMs: number | false): GalleryHistory {
  // The options are rebuilt only when they change: the gallery re-renders on every row scrolled past.
  const options = useMemo(
    () => taskQueries.list({ pageSize: GALLERY_PAGE_SIZE, status }, { pollMs }),
    [status, pollMs],
  );
  const query = useInfiniteQuery(options);
  const tasks = useMemo(() => historyTasks(query.data), [query.data]);
  const { fetchNextPage } = query;
  const retryMore = useCallback(() => void fetchNextPage({ cancelRefetch: false }), [fetchNextPage]);
  return { query, tasks, stale: query.isPlaceholderData, hasMore: !!query.hasNextPage, retryMore };
}

/**
 * Reads the history's next page when `endIndex` (the end of what the window shows) nears the last task
 * loaded. Not while any read is under way (a refetch of the loaded pages would be cancelled), nor on the
 * previous filter's pages, nor again after a failure: that waits for the creator's Retry.
 */
export function useReadOn(history: GalleryHistory, endIndex: number): void {
  const { hasNextPage, isFetching, isFetchNextPageError, fetchNextPage } = history.query;
  const loaded = history.tasks.length;
  const { stale } = history;
  // Judged again whenever a page arrives (`loaded`), not only when a flag changes: a page can arrive
  // without any render seeing its read under way, and the window's end may still be near the new end.
  useEffect(() => {
    if (!hasNextPage || isFetching || stale || isFetchNextPageError) return;
    if (needsNextPage(endIndex, loaded, LOAD_AHEAD)) void fetchNextPage({ cancelRefetch: false });
  }, [endIndex, loaded, hasNextPage, isFetching, stale, isFetchNextPageError, fetchNextPage]);
}
