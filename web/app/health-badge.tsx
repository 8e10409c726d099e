import { useQuery } from '@tanstack/react-query';
import { healthQuery, needsSignIn } from '../api/health.ts';

/** Which upstream the studio talks to: real Kling (costs credits) or the built-in simulator. */
export function HealthBadge() {
  const { data, error } = useQuery(healthQuery);
  if (needsSignIn(error)) return <span className="badge">Signed out</span>;
  if (error) return <span className="badge badge--bad">Studio offline</span>;
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
