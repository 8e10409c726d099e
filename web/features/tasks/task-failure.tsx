import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { adviseOnFailure } from './failure-advice.ts';

/** Why a task failed, in the studio's and Kling's words, what that means, and what to change. */
export function TaskFailure({ task }: { task: StudioTask }) {
  const advice = adviseOnFailure(task.statusMessage);
  return (
    <div className="tasks-failure" role="note" aria-label="Why it failed">
      {advice.summary && <p className="tasks-failure-summary">{advice.summary}</p>}
      {task.statusMessage && <p className="tasks-failure-message">{task.statusMessage}</p>}
      <p>
        <strong>What to change:</strong> {advice.change}
      </p>
    </div>
  );
}
