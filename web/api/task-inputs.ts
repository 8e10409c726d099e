import { queryOptions } from '@tanstack/react-query';
import { taskInputsSchema } from '../../contract/schemas/studio-api.ts';
import { apiFetch } from './client.ts';
import { taskKeys } from './task-queries.ts';

/** `GET /api/tasks/:id/inputs`: the create request as sent, images included, for Remix and Generate again. */
export const taskInputsQuery = (id: string) =>
  queryOptions({
    queryKey: [...taskKeys.detail(id), 'inputs'] as const,
    queryFn: ({ signal }) =>
      apiFetch(`/api/tasks/${encodeURIComponent(id)}/inputs`, taskInputsSchema, { signal }),
    // A task's inputs never change, and they can be megabytes of base64: fetch once, drop soon after.
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
  });
