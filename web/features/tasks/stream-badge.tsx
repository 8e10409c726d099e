import { TASK_IDLE_POLL_MS, TASK_POLL_MS } from '../../api/task-queries.ts';
import type { StreamState } from '../../api/task-stream.ts';

const TEXT: Record<StreamState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  down: `Live updates interrupted; checking every ${TASK_POLL_MS / 1000}–${TASK_IDLE_POLL_MS / 1000} s`,
};

/** Says whether what's on screen is live, so a stalled list is never mistaken for a stalled task. */
export function StreamBadge({ state }: { state: StreamState }) {
  return (
    <span className="tasks-stream" data-state={state} title={TEXT[state]}>
      {TEXT[state]}
    </span>
  );
}
