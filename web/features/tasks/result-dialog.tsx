import { useQuery } from '@tanstack/react-query';
import { useId, useRef } from 'react';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { taskQueries } from '../../api/task-queries.ts';
import { DialogHeader } from './dialog-header.tsx';
import { excerpt } from './format.ts';
import { ModalDialog } from './modal-dialog.tsx';
import { ModelBadge } from './model-badge.tsx';
import { TaskActions } from './task-actions.tsx';
import { TaskFacts } from './task-facts.tsx';
import { costLine, MOTION_LABELS, settingsLine } from './task-labels.ts';
import { TaskMedia } from './task-media.tsx';
import { TaskReference } from './task-reference.tsx';
import { TaskStatus } from './task-status.tsx';
import type { RemixInto } from './use-remix.ts';

interface ResultDialogProps {
  id: string;
  /** The card's copy, shown at once while the task's own query loads. */
  placeholder: StudioTask | undefined;
  pollMs: number | false;
  onClose: () => void;
  /** Shows another task here (the one "Generate again" made). */
  onOpenTask: (id: string) => void;
  remixInto: RemixInto;
}

/**
 * The "Result" viewer, over the workspace: the video sized to the screen with its controls, what to do
 * next (Download, Remix, Generate again · its cost), progress or the failure for an unfinished one, and
 * the ids and timestamps folded under Details for whoever reconciles with Kling's console.
 */
export function ResultDialog({ id, placeholder, pollMs, onClose, onOpenTask, remixInto }: ResultDialogProps) {
  const headingId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  const query = useQuery({ ...taskQueries.detail(id, { pollMs }), placeholderData: placeholder });
  const task = query.data;
  const cost = task && costLine(task);

  return (
    <ModalDialog label="Result" onClose={onClose} initialFocus={closeRef} className="result-dialog">
      <article className="result" aria-labelledby={headingId}>
        <DialogHeader
          headingId={headingId}
          title={task ? excerpt(task.prompt, 60) || 'Untitled (no prompt)' : 'Task'}
          closeLabel="Close result"
          onClose={onClose}
          closeRef={closeRef}
        >
          {task && (
            <span className="tasks-status-line">
              <TaskStatus task={task} />
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
            <p className="result-setup">
              {settingsLine(task)} · {MOTION_LABELS[task.motion]}
              {cost && ` · ${cost}`} <ModelBadge model={task.model} />
            </p>
            <TaskActions task={task} onOpenTask={onOpenTask} onRemixed={onClose} remixInto={remixInto} />
            <details className="result-details">
              <summary>Details</summary>
              <TaskFacts task={task} />
            </details>
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
    </ModalDialog>
  );
}
