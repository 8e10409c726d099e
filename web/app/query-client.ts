import { QueryClient } from '@tanstack/react-query';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: 1, staleTime: 5_000 },
      // A create must never be repeated behind the creator's back: it costs credits.
      mutations: { retry: false },
    },
  });
}
