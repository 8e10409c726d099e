import { useCallback, useId, useState } from 'react';
import type { TaskStatus } from '../../../contract/schemas/kling-task.ts';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { CompareView } from './compare-view.tsx';
import { Gallery } from './gallery.tsx';
import { ResultDialog } from './result-dialog.tsx';
import { comparable, togglePick } from './selection.ts';
import { SelectionBar } from './selection-bar.tsx';
import { StatusFilter } from './status-filter.tsx';
import { StreamBadge } from './stream-badge.tsx';
import type { RemixInto } from './use-remix.ts';
import { pollIntervalFor, useTaskEvents } from './use-task-events.ts';
import './tasks.css';

export interface TasksPanelProps {
  /** The task this tab just created (the composer's Generate): it lands on top of the gallery, in view. */
  lastCreatedId?: string | null;
  /** What Remix does with a task's inputs: the app puts them into the composer and the motion brush. */
  remixInto: RemixInto;
}

/**
 * The "Tasks" region: every result as a card in a gallery, newest first, live from the event stream
 * (polling while it is down), a batch's results together; one opens in the "Result" viewer; picked ones
 * are compared or downloaded from the selection bar, a batch's compared from its header. What the creator
 * is looking at (filter, open result, picks, comparison) is local UI state; tasks stay in TanStack Query.
 */
export function TasksPanel({ lastCreatedId = null, remixInto }: TasksPanelProps) {
  const headingId = useId();
  const stream = useTaskEvents();
  const pollMs = pollIntervalFor(stream);
  const [filter, setFilter] = useState<TaskStatus | undefined>();
  const [open, setOpen] = useState<{ id: string; placeholder?: StudioTask } | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  // The results Compare shows: the picks, or a batch's finished videos.
  const [comparing, setComparing] = useState<readonly string[] | null>(null);

  // Adjusting state to a new prop during render (React's documented pattern) avoids an effect's extra paint:
  // a new task is shown among all tasks, whatever the filter was.
  const [shownCreated, setShownCreated] = useState(lastCreatedId);
  if (lastCreatedId !== shownCreated) {
    setShownCreated(lastCreatedId);
    if (lastCreatedId) setFilter(undefined);
  }

  const onOpen = useCallback((task: StudioTask) => setOpen({ id: task.id, placeholder: task }), []);
  const onTogglePick = useCallback((id: string) => setPicked((p) => togglePick(p, id)), []);
  const closeResult = useCallback(() => setOpen(null), []);
  const closeCompare = useCallback(() => setComparing(null), []);
  const compareBatch = useCallback((ids: readonly string[]) => setComparing(ids), []);
  const compared = comparable(picked);

  return (
    <section className="tasks-panel card" aria-labelledby={headingId}>
      <header className="tasks-header">
        <h2 id={headingId} className="card__title">
          Tasks
        </h2>
        <StreamBadge state={stream} />
        <StatusFilter value={filter} onChange={setFilter} />
      </header>

      {picked.length > 0 && (
        <SelectionBar
          picked={picked}
          onCompare={() => setComparing(compared)}
          onClear={() => setPicked([])}
        />
      )}

      <Gallery
        filter={filter}
        onClearFilter={() => setFilter(undefined)}
        pollMs={pollMs}
        picked={picked}
        newId={lastCreatedId}
        onOpen={onOpen}
        onTogglePick={onTogglePick}
        onCompare={compareBatch}
      />

      {open && (
        <ResultDialog
          key={open.id}
          id={open.id}
          placeholder={open.placeholder}
          pollMs={pollMs}
          onClose={closeResult}
          onOpenTask={(id) => setOpen({ id })}
          remixInto={remixInto}
        />
      )}
      {comparing && comparing.length > 1 && <CompareView ids={comparing} onClose={closeCompare} />}
    </section>
  );
}
