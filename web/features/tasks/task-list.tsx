import type { UseQueryResult } from '@tanstack/react-query';
import { isFinalStatus, type TaskStatus } from '../../../contract/schemas/kling-task.ts';
import type { TaskList as TaskListData } from '../../../contract/schemas/studio-api.ts';
import { statusLabel } from './task-labels.ts';
import { TaskRow } from './task-row.tsx';
import { useNow } from './use-now.ts';

interface TaskListProps {
  query: UseQueryResult<TaskListData>;
  filter: TaskStatus | undefined;
  onClearFilter: () => void;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  compareIds: readonly string[];
  onToggleCompare: (id: string) => void;
}

/** The list with its loading, error and empty states, each saying what to do next. */
export function TaskList({ query, filter, onClearFilter, selectedId, onSelect, ...compare }: TaskListProps) {
  const tasks = query.data?.tasks ?? [];
  // Tick once a second only while something on screen is still running.
  const now = useNow(tasks.some((t) => !isFinalStatus(t.status)));

  if (query.isPending) {
    return (
      <p className="tasks-state" role="status">
        Loading your tasks…
      </p>
    );
  }
  if (query.isError && !query.data) {
    return (
      <div className="tasks-state" role="alert">
        <p>The task history could not be loaded: {query.error.message}</p>
        <p>Check that the studio server is running, then try again.</p>
        <button type="button" className="button" onClick={() => void query.refetch()}>
          Retry
        </button>
      </div>
    );
  }
  if (tasks.length === 0) {
    return filter ? (
      <div className="tasks-state">
        <p>No {statusLabel(filter).toLowerCase()} tasks.</p>
        <button type="button" className="button" onClick={onClearFilter}>
          Show all tasks
        </button>
      </div>
    ) : (
      <div className="tasks-state">
        <p>No videos yet.</p>
        <p>Add a start frame in the composer and press Generate: the task shows up here and updates live.</p>
      </div>
    );
  }
  return (
    <>
      {query.isError && (
        <p className="tasks-state tasks-state-inline" role="alert">
          Could not refresh the list ({query.error.message}); showing what was last loaded.{' '}
          <button type="button" className="button" onClick={() => void query.refetch()}>
            Retry
          </button>
        </p>
      )}
      <ol className="tasks-list" aria-busy={query.isPlaceholderData || undefined}>
        {tasks.map((task) => (
          <TaskRow
            key={task.id}
            task={task}
            now={now}
            selected={task.id === selectedId}
            onSelect={onSelect}
            compareChecked={task.video ? compare.compareIds.includes(task.id) : undefined}
            onToggleCompare={compare.onToggleCompare}
          />
        ))}
      </ol>
    </>
  );
}
