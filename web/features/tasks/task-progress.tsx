import { MODELS } from '../../../contract/capabilities/matrix.ts';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { formatApprox, formatElapsed } from './format.ts';
import { taskProgress } from './progress.ts';
import { ordinal } from './queue-place.ts';

/** Elapsed time against the model's typical time; no invented percentage (see progress.ts). */
export function TaskProgress({
  task,
  now,
  compact = false,
}: {
  task: StudioTask;
  now: number;
  /** A gallery card's one short line; the bar's accessible text stays the full sentence. */
  compact?: boolean;
}) {
  const p = taskProgress(task, now);
  const elapsed = formatElapsed(p.elapsedMs);
  if (p.phase === 'done') return <span className="tasks-took">took {elapsed}</span>;

  const usual = `${formatApprox(p.typicalSeconds)} for ${MODELS[task.model].label}`;
  const place = task.queue ? `${ordinal(task.queue.position)} in line` : null;
  const text =
    p.phase === 'waiting'
      ? task.sentAt
        ? `Being sent to Kling, after ${elapsed} in the studio's queue`
        : `Waiting in the studio's queue${place ? ` (${place})` : ''} for ${elapsed}; it goes to Kling when a slot frees`
      : p.phase === 'overdue'
        ? `${elapsed} elapsed, longer than the usual ${usual}; still working`
        : `${elapsed} elapsed; usually ${usual}${p.phase === 'queued' ? ', waiting for Kling to start' : ''}`;
  const shown = !compact
    ? text
    : p.phase === 'waiting'
      ? // The card's status line already says the place ("Queued · 3rd").
        task.sentAt
        ? 'being sent to Kling'
        : 'waiting for a slot at Kling'
      : p.phase === 'overdue'
        ? `${elapsed}, longer than usual`
        : `${elapsed} of ${formatApprox(p.typicalSeconds)}`;
  return (
    <div className="tasks-progress" data-phase={p.phase} data-compact={compact || undefined}>
      <div
        role="progressbar"
        aria-label="Progress"
        aria-valuemin={0}
        aria-valuemax={p.typicalSeconds}
        // Overdue has no honest position: leaving valuenow out makes the bar indeterminate.
        aria-valuenow={
          p.fraction === null ? undefined : p.phase === 'waiting' ? 0 : Math.floor(p.elapsedMs / 1000)
        }
        aria-valuetext={text}
        className="tasks-progress-track"
      >
        <div className="tasks-progress-fill" style={{ transform: `scaleX(${p.fraction ?? 1})` }} />
      </div>
      <span className="tasks-progress-text">{shown}</span>
    </div>
  );
}
