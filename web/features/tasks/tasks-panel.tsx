import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useState } from 'react';
import type { TaskStatus } from '../../../contract/schemas/kling-task.ts';
import { taskQueries } from '../../api/task-queries.ts';
import { isPair, toggleCompare } from './compare-selection.ts';
import { CompareView } from './compare-view.tsx';
import { StatusFilter } from './status-filter.tsx';
import { StreamBadge } from './stream-badge.tsx';
import { TaskDetail } from './task-detail.tsx';
import { TaskList } from './task-list.tsx';
import { TaskPagination } from './task-pagination.tsx';
import type { RemixInto } from './use-remix.ts';
import { pollIntervalFor, useTaskEvents } from './use-task-events.ts';
import './tasks.css';

export const TASKS_PAGE_SIZE = 20;

export interface TasksPanelProps {
  /** The task this tab just created (the composer's Generate): the panel opens it, so progress shows at once. */
  lastCreatedId?: string | null;
  /** What Remix does with a task's inputs: the app puts them into the composer and the motion brush. */
  remixInto: RemixInto;
}

/**
 * The "Tasks" region: history newest first, live from the event stream (polling while it is down),
 * with the selected task's detail and a side-by-side comparison of two finished videos.
 * What the user is looking at (page, filter, selection) is local UI state; tasks stay in TanStack Query.
 */
export function TasksPanel({ lastCreatedId = null, remixInto }: TasksPanelProps) {
  const headingId = useId();
  const stream = useTaskEvents();
  const pollMs = pollIntervalFor(stream);
  const [filter, setFilter] = useState<TaskStatus | undefined>();
  const [page, setPage] = useState(1);
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [picked, setPicked] = useState<string[]>([]);
  const [comparing, setComparing] = useState(false);

  // Adjusting state to a new prop during render (React's documented pattern) avoids an effect's extra paint.
  const [openedCreated, setOpenedCreated] = useState(lastCreatedId);
  if (lastCreatedId !== openedCreated) {
    setOpenedCreated(lastCreatedId);
    if (lastCreatedId) {
      // Show it in the list too: it is the newest, so on the first page of all tasks.
      setSelectedId(lastCreatedId);
      setFilter(undefined);
      setPage(1);
    }
  }

  const list = useQuery(taskQueries.list({ page, pageSize: TASKS_PAGE_SIZE, status: filter }, { pollMs }));

  // Deleting history or a narrower filter can leave us past the last page.
  const lastPage = Math.max(1, Math.ceil((list.data?.total ?? 0) / TASKS_PAGE_SIZE));
  useEffect(() => {
    if (list.data && !list.isPlaceholderData && page > lastPage) setPage(lastPage);
  }, [list.data, list.isPlaceholderData, page, lastPage]);

  const changeFilter = (status: TaskStatus | undefined) => {
    setFilter(status);
    setPage(1);
  };
  const closeCompare = useCallback(() => setComparing(false), []);

  return (
    <section className="tasks-panel card" aria-labelledby={headingId}>
      <header className="tasks-header">
        <h2 id={headingId} className="card__title">
          Tasks
        </h2>
        <StreamBadge state={stream} />
        <StatusFilter value={filter} onChange={changeFilter} />
      </header>

      <TaskList
        query={list}
        filter={filter}
        onClearFilter={() => changeFilter(undefined)}
        selectedId={selectedId}
        onSelect={setSelectedId}
        compareIds={picked}
        onToggleCompare={(id) => setPicked((p) => toggleCompare(p, id))}
      />
      {list.data && (
        <TaskPagination page={page} pageSize={TASKS_PAGE_SIZE} total={list.data.total} onPage={setPage} />
      )}

      {picked.length > 0 && (
        <div className="tasks-compare-bar">
          <span>
            {isPair(picked)
              ? 'Two videos picked.'
              : 'One video picked; pick another finished one to compare.'}
          </span>
          <button
            type="button"
            className="button button--primary"
            disabled={!isPair(picked)}
            onClick={() => setComparing(true)}
          >
            Compare
          </button>
          <button type="button" className="button" onClick={() => setPicked([])}>
            Clear
          </button>
        </div>
      )}

      {selectedId ? (
        <TaskDetail
          key={selectedId}
          id={selectedId}
          placeholder={list.data?.tasks.find((t) => t.id === selectedId)}
          pollMs={pollMs}
          onClose={() => setSelectedId(undefined)}
          onOpenTask={setSelectedId}
          remixInto={remixInto}
        />
      ) : (
        list.data &&
        list.data.total > 0 && (
          <p className="tasks-hint">Pick a task to watch, download, remix or compare it.</p>
        )
      )}

      {comparing && isPair(picked) && <CompareView ids={picked} onClose={closeCompare} />}
    </section>
  );
}
