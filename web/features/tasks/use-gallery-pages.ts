import { type UseQueryResult, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { TaskStatus } from '../../../contract/schemas/kling-task.ts';
import type { StudioTask, TaskList } from '../../../contract/schemas/studio-api.ts';
import { taskKeys, taskQueries } from '../../api/task-queries.ts';
import { pagesFor } from './virtual-window.ts';

/** The API's largest page: 500 results are five requests, however fast the gallery is scrolled. */
export const GALLERY_PAGE_SIZE = 100;

/** Page `p`'s tasks (1-based, newest first) when known. */
export type PageTasks = (page: number) => readonly StudioTask[] | undefined;

export interface GalleryPages<W> {
  /** Page 1's query: the total, and the loading/error state of the gallery as a whole. */
  first: UseQueryResult<TaskList>;
  total: number;
  /** Loaded for the window, or still cached from earlier. */
  pageTasks: PageTasks;
  /** Some page on screen is still the previous filter's (kept until the new one arrives). */
  stale: boolean;
  /** What `windowFor` made of the pages this render. */
  window: W;
}

/**
 * The pages of `GET /api/tasks` the gallery's window needs, each an ordinary cached list query: task
 * events patch them in place (api/task-cache.ts), and pages scrolled away stop polling. Page 1 is always
 * read: it carries the total, which decides the window (`windowFor`), which decides the rest. Pages
 * scrolled past stay readable from the cache while it keeps them, so batches above the view keep their
 * headers.
 */
export function useGalleryPages<W extends { startIndex: number; endIndex: number }>(
  status: TaskStatus | undefined,
  pollMs: number | false,
  windowFor: (total: number, pageTasks: PageTasks) => W,
): GalleryPages<W> {
  const queryClient = useQueryClient();
  // The options are rebuilt only when they change: the gallery re-renders on every row scrolled past.
  const firstOptions = useMemo(
    () => taskQueries.list({ page: 1, pageSize: GALLERY_PAGE_SIZE, status }, { pollMs }),
    [status, pollMs],
  );
  const first = useQuery(firstOptions);
  const total = first.data?.total ?? 0;
  // Page 1 as its query shows it (the previous filter's while the new one loads); the others from the
  // cache, where the window's page queries keep theirs. The key is the page query's own (the params as
  // normalised), built by hand: it is read for every page on every render.
  const pageTasks: PageTasks = (page) =>
    page === 1
      ? first.data?.tasks
      : queryClient.getQueryData<TaskList>(taskKeys.list({ page, pageSize: GALLERY_PAGE_SIZE, status }))
          ?.tasks;
  const window = windowFor(total, pageTasks);
  const pagesKey = pagesFor(window.startIndex, window.endIndex, GALLERY_PAGE_SIZE)
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
  // Subscribed, so the gallery renders again when one of them arrives.
  useQueries({ queries });
  return { first, total, pageTasks, stale: first.isPlaceholderData, window };
}
