import { queryOptions } from '@tanstack/react-query';
import { healthSchema } from '../../contract/schemas/studio-api.ts';
import { ApiError, apiFetch } from './client.ts';

/** `GET /api/health`: which upstream is in use; also how the app learns it must sign in first. */
export const healthQuery = queryOptions({
  queryKey: ['health'],
  queryFn: ({ signal }) => apiFetch('/api/health', healthSchema, { signal }),
  refetchInterval: 30_000,
  // A missing token will not fix itself by retrying.
  retry: (count, error) => !(error instanceof ApiError && error.status === 401) && count < 1,
});

/** The studio runs with APP_TOKEN and this browser has not signed in yet. */
export const needsSignIn = (error: unknown): boolean =>
  error instanceof ApiError && error.code === 'app_token_required';
