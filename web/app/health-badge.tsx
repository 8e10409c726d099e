import { queryOptions, useQuery } from '@tanstack/react-query';
import { healthSchema } from '../../contract/schemas/studio-api.ts';
import { apiFetch } from '../api/client.ts';

const healthQuery = queryOptions({
  queryKey: ['health'],
  queryFn: ({ signal }) => apiFetch('/api/health', healthSchema, { signal }),
  refetchInterval: 30_000,
});

/** Which upstream the studio talks to: real Kling (costs credits) or the built-in simulator. */
export function HealthBadge() {
  const { data, isError } = useQuery(healthQuery);
  if (isError) return <span className="badge badge--bad">Studio offline</span>;
  if (!data) return <span className="badge">Connecting…</span>;
  return data.upstream.kind === 'kling' ? (
    <span className="badge badge--live" title={data.upstream.baseUrl}>
      Kling · live
    </span>
  ) : (
    <span className="badge badge--sim" title={data.upstream.baseUrl}>
      Simulator · no credits used
    </span>
  );
}
