import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { taskQueries } from '../../api/task-queries.ts';
import { DialogHeader } from './dialog-header.tsx';
import { excerpt } from './format.ts';
import { TaskActions } from './task-actions.tsx';
import { TaskFacts } from './task-facts.tsx';
import { statusLabel } from './task-labels.ts';
import { TaskMedia } from './task-media.tsx';
import { TaskReference } from './task-reference.tsx';
import type { RemixInto } from './use-remix.ts';

interface TaskDetailProps {
  id: string;
  /** The row's copy, shown at once while the detail query loads. */
  placeholder: StudioTask | undefined;
  pollMs: number | false;
  onClose: () => void;
  /** Opens another task (the one "Generate again" created). */
  onOpenTask: (id: string) => void;
  remixInto: RemixInto;
}

export function TaskDetail({ id, placeholder, pollMs, onClose, onOpenTask, remixInto }: TaskDetailProps) {
  const headingId = useId();
  const ref = useRef<HTMLElement>(null);
  const query = useQuery({ ...taskQueries.detail(id, { pollMs }), placeholderData: placeholder });
  const task = query.data;

  // The detail sits below the list: bring it into view when a task is picked (a no-op if it is visible).
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, []);

  return (
    <article ref={ref} className="tasks-detail" aria-labelledby={headingId}>
      <DialogHeader
        headingId={headingId}
        title={task ? excerpt(task.prompt, 60) || 'Untitled (no prompt)' : 'Task'}
        closeLabel="Close task details"
        onClose={onClose}
      >
        {task && (
          <span className="tasks-status" data-status={task.status}>
            {statusLabel(task.status)}
          </span>
        )}
      </DialogHeader>
      {task ? (
        <>
          {task.kind === 'motion-control' ? (
            // The result beside the clip whose motion it copied.
            <div className="tasks-media-pair">
              <TaskMedia task={task} />
              <TaskReference task={task} />
            </div>
          ) : (
            <TaskMedia task={task} />
          )}
          <TaskActions task={task} onOpenTask={onOpenTask} remixInto={remixInto} />
          <TaskFacts task={task} />
        </>
      ) : query.isError ? (
        <div className="tasks-state" role="alert">
          <p>This task could not be loaded: {query.error.message}</p>
          <button type="button" className="button" onClick={() => void query.refetch()}>
            Retry
          </button>
        </div>
      ) : (
        <p className="tasks-state" role="status">
          Loading the task…
        </p>
      )}
    </article>
  );
}
