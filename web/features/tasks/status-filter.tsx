import { useId } from 'react';
import { TASK_STATUSES, type TaskStatus } from '../../../contract/schemas/kling-task.ts';
import { statusLabel } from './task-labels.ts';

interface StatusFilterProps {
  value: TaskStatus | undefined;
  onChange: (status: TaskStatus | undefined) => void;
}

export function StatusFilter({ value, onChange }: StatusFilterProps) {
  const id = useId();
  return (
    <div className="tasks-filter">
      <label htmlFor={id}>Filter by status</label>
      <select
        id={id}
        className="select"
        value={value ?? ''}
        onChange={(e) => onChange(TASK_STATUSES.find((s) => s === e.target.value))}
      >
        <option value="">All tasks</option>
        {TASK_STATUSES.map((s) => (
          <option key={s} value={s}>
            {statusLabel(s)}
          </option>
        ))}
      </select>
    </div>
  );
}
