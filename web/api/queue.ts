import { type QueryClient, queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queueStateSchema } from '../../contract/schemas/studio-api.ts';
import { apiFetch } from './client.ts';
import { taskKeys } from './task-queries.ts';

export const queueKeys = { all: ['queue'] as const };

/**
 * A safety net only: task changes (events, creates, polls) already refresh the counts. Without it a
 * queue emptied by another tab while this one's event stream is down would show stale counts forever.
 */
const QUEUE_IDLE_POLL_MS = 15_000;
/** Task events come in bursts (a batch of 20 is 20 events): one read of the queue per burst. */
const QUEUE_REFRESH_DEBOUNCE_MS = 250;

export const queueQuery = () =>
  queryOptions({
    queryKey: queueKeys.all,
    queryFn: ({ signal }) => apiFetch('/api/queue', queueStateSchema, { signal }),
    refetchInterval: QUEUE_IDLE_POLL_MS,
    retry: false,
  });

/**
 * Reads the queue again whenever a cached task changes: every task event and create answer goes through
 * the task cache (applyTaskChange), so a task that starts, ends or joins the queue moves the counts
 * without the event stream knowing about the queue. Returns the unsubscribe function.
 */
export function refreshQueueOnTaskChanges(client: QueryClient): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = client.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' || event.action.type !== 'success') return;
    if (event.query.queryKey[0] !== taskKeys.all[0]) return;
    clearTimeout(timer);
    timer = setTimeout(
      () => void client.invalidateQueries({ queryKey: queueKeys.all }),
      QUEUE_REFRESH_DEBOUNCE_MS,
    );
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}

/** `GET /api/queue`, kept current by task changes. Undefined until it answers (or when it cannot). */
export function useQueueState() {
  const client = useQueryClient();
  useEffect(() => refreshQueueOnTaskChanges(client), [client]);
  return useQuery(queueQuery()).data;
}
