import type { ReactNode } from 'react';
import { unitsToUsd } from '../../../contract/pricing/prices.ts';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { useCapabilities } from '../../api/capabilities.ts';
import { formatTimestamp } from './format.ts';
import { ModelBadge } from './model-badge.tsx';
import { MOTION_LABELS, settingsLine } from './task-labels.ts';

const size = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** The task's ids, cost and timestamps: what someone reconciling with Kling's console needs. */
export function TaskFacts({ task }: { task: StudioTask }) {
  const { usdPerUnit } = useCapabilities();
  const usd = (units: number) => `$${unitsToUsd(units, usdPerUnit).toFixed(2)}`;
  const rows: [string, ReactNode][] = [
    [
      'Settings',
      <>
        {settingsLine(task)} · {MOTION_LABELS[task.motion]} <ModelBadge model={task.model} />
      </>,
    ],
    ['Task id', task.id],
    ['External id', task.externalTaskId],
    ['Kling task id', task.klingTaskId ?? 'not assigned yet'],
    [
      'Price list',
      task.price
        ? `${task.price.basis} = ${task.price.units} units (≈ ${usd(task.price.units)})`
        : 'not priced',
    ],
    [
      'Units deducted',
      task.units !== null
        ? `${task.units} (≈ ${usd(Number(task.units))})`
        : task.status === 'failed'
          ? 'none reported'
          : 'known when finished',
    ],
    ['Created', formatTimestamp(task.createdAt)],
    ['Updated', formatTimestamp(task.updatedAt)],
  ];
  if (task.finishedAt !== null) rows.push(['Finished', formatTimestamp(task.finishedAt)]);
  if (task.video) rows.push(['Video', `${task.video.duration} s · ${size(task.video.bytes)}`]);
  return (
    <dl className="tasks-facts">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
