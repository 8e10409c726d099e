import { type UseQueryResult, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { TaskStatus } from '../../../contract/schemas/kling-task.ts';
import type { StudioTask, TaskList } from '../../../contract/schemas/studio-api.ts';
import { normalizeListParams, taskKeys, taskQueries } from '../../api/task-queries.ts';
import { pagesFor } from './virtual-window.ts';

/** The API's largest page: 500 results are five requests, however fast the gallery is scrolled. */
export const GALLERY_PAGE_SIZE = 100;

export interface GalleryPages {
  /** Page 1's query: the total, and the loading/error state of the gallery as a whole. */
  first: UseQueryResult<TaskList>;
  total: number;
  /** Page `p`'s tasks (newest first) when known: loaded for the window, or still cached from earlier. */
  pageTasks: (page: number) => readonly StudioTask[] | undefined;
  /** Some page on screen is still the previous filter's (kept until the new one arrives). */
  stale: boolean;
}

/**
 * The pages of `GET /api/tasks` the gallery's window needs, each an ordinary cached list query: task
 * events patch them in place (api/task-cache.ts), and pages scrolled away stop polling. Page 1 is always
 * read: it carries the total, which decides the window (`rangeFor`), which decides the rest. Pages scrolled
 * past stay readable from the cache while it keeps them, so batches above the view keep their headers.
 */
export function useGalleryPages(
  status: TaskStatus | undefined,
  pollMs: number | false,
  rangeFor: (total: number, pageTasks: GalleryPages['pageTasks']) => { startIndex: number; endIndex: number },
): GalleryPages {
  const queryClient = useQueryClient();
  // The options are rebuilt only when they change: the gallery re-renders on every row scrolled past.
  const firstOptions = useMemo(
    () => taskQueries.list({ page: 1, pageSize: GALLERY_PAGE_SIZE, status }, { pollMs }),
    [status, pollMs],
  );
  const first = useQuery(firstOptions);
  const total = first.data?.total ?? 0;
  const cached = (page: number) =>
    queryClient.getQueryData<TaskList>(
      taskKeys.list(normalizeListParams({ page, pageSize: GALLERY_PAGE_SIZE, status })),
    )?.tasks;
  // Page 1 as the query shows it (the previous filter's while the new one loads), the others from the cache.
  const known = (page: number) => (page === 1 ? first.data?.tasks : cached(page));
  const { startIndex, endIndex } = rangeFor(total, known);
  const pagesKey = pagesFor(startIndex, endIndex, GALLERY_PAGE_SIZE)
    .filter((p) => p > 1)
    .join(',');
  const later = useMemo(() => (pagesKey ? pagesKey.split(',').map(Number) : []), [pagesKey]);
  const queries = useMemo(
    () =>
      later.map((page) => ({
        ...taskQueries.list({ page, pageSize: GALLERY_PAGE_SIZE, status }, { pollMs }),
        // Page 1 keeps the previous filter's cards until the new ones arrive (no empty flash); a later
        // page shows placeholders instead: another page's cards in its place would be the wrong tasks.
        placeholderData: undefined,
      })),
    [later, status, pollMs],
  );
  const results = useQueries({ queries });
  const byPage = new Map<number, UseQueryResult<TaskList>>(later.map((page, i) => [page, results[i]!]));
  return {
    first,
    total,
    pageTasks: (page) => (page === 1 ? first.data?.tasks : (byPage.get(page)?.data?.tasks ?? cached(page))),
    stale: first.isPlaceholderData,
  };
}
