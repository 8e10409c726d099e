import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { queuePlace } from './queue-place.ts';
import { statusLabel } from './task-labels.ts';

/**
 * "Queued · 3rd", "Processing": the status in people's words, and a queued task's place. The status is a
 * text of its own (design.md's status texts), the place beside it.
 */
export function TaskStatus({ task }: { task: StudioTask }) {
  const place = queuePlace(task);
  return (
    <>
      <span className="tasks-status" data-status={task.status}>
        {statusLabel(task.status)}
      </span>
      {place && <span className="tasks-place"> · {place}</span>}
    </>
  );
}
