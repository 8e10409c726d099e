import { isFinalStatus } from '../../../contract/schemas/kling-task.ts';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { excerpt, formatCreated, formatTimestamp } from './format.ts';
import { ModelBadge } from './model-badge.tsx';
import { MOTION_LABELS, settingsLine, statusLabel } from './task-labels.ts';
import { TaskProgress } from './task-progress.tsx';
import { TaskThumbnail } from './task-thumbnail.tsx';

interface TaskRowProps {
  task: StudioTask;
  now: number;
  selected: boolean;
  onSelect: (id: string) => void;
  /** Only finished videos can be compared; `undefined` hides the checkbox. */
  compareChecked: boolean | undefined;
  onToggleCompare: (id: string) => void;
}

export function TaskRow({ task, now, selected, onSelect, compareChecked, onToggleCompare }: TaskRowProps) {
  const prompt = excerpt(task.prompt) || 'Untitled (no prompt)';
  return (
    <li className="tasks-row" data-status={task.status} aria-current={selected ? 'true' : undefined}>
      <TaskThumbnail url={task.thumbnailUrl} />
      <div className="tasks-row-body">
        <button
          type="button"
          className="tasks-row-open"
          onClick={() => onSelect(task.id)}
          title={task.prompt}
        >
          {prompt}
        </button>
        <p className="tasks-row-meta">
          {settingsLine(task)} · {MOTION_LABELS[task.motion]} <ModelBadge model={task.model} />
        </p>
        <p className="tasks-row-meta">
          <span className="tasks-status" data-status={task.status}>
            {statusLabel(task.status)}
          </span>
          {' · '}
          <time dateTime={new Date(task.createdAt).toISOString()} title={formatTimestamp(task.createdAt)}>
            {formatCreated(task.createdAt, now)}
          </time>
          {isFinalStatus(task.status) && (
            <>
              {' · '}
              <TaskProgress task={task} now={now} />
            </>
          )}
        </p>
        {!isFinalStatus(task.status) && <TaskProgress task={task} now={now} />}
      </div>
      {compareChecked !== undefined && (
        <label className="tasks-row-compare">
          <input type="checkbox" checked={compareChecked} onChange={() => onToggleCompare(task.id)} />
          Pick to compare
        </label>
      )}
    </li>
  );
}
