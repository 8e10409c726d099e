import type { ModelName } from '../../../contract/capabilities/matrix.ts';
import { useCapabilities } from '../../api/capabilities.ts';
import { lifecycleBadge } from './task-labels.ts';

/** "Legacy" beside a task made on a model Kling is reported to retire (its note as the tooltip). */
export function ModelBadge({ model }: { model: ModelName }) {
  const badge = lifecycleBadge(useCapabilities().models, model);
  if (!badge) return null;
  return (
    <span
      className={`badge ${badge.text === 'Legacy' ? 'badge--live' : 'badge--bad'}`}
      title={badge.note ? `${model}: ${badge.note}` : undefined}
    >
      {badge.text}
    </span>
  );
}
