import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { TASK_POLL_MS } from '../../api/task-queries.ts';
import { type StreamState, taskStreamFor } from '../../api/task-stream.ts';

/**
 * Keeps the app's single `/api/events` stream open while mounted and returns its state. Any number of
 * components may call it: they share one EventSource per QueryClient.
 */
export function useTaskEvents(): StreamState {
  const stream = taskStreamFor(useQueryClient());
  useEffect(() => stream.retain(), [stream]);
  return useSyncExternalStore(stream.subscribe, stream.getState, stream.getState);
}

/** Queries poll only while the stream can't be trusted to push changes. */
export const pollIntervalFor = (state: StreamState): number | false =>
  state === 'live' ? false : TASK_POLL_MS;
