import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { unitsWords } from '../../../contract/words/setup-words.ts';
import { taskVideoDownloadUrl } from '../../api/task-queries.ts';
import { isWaiting } from './queue-place.ts';
import { useCancelTask } from './use-cancel-task.ts';
import { useGenerateAgain } from './use-generate-again.ts';
import { useMoveToFront } from './use-move-to-front.ts';
import { type RemixInto, useRemix } from './use-remix.ts';

interface TaskActionsProps {
  task: StudioTask;
  onOpenTask: (id: string) => void;
  /** After Remix has put the inputs into the composer (the viewer closes, so the composer shows). */
  onRemixed?: () => void;
  remixInto: RemixInto;
}

/**
 * What the same request costs again: the price list's figure for its settings (what the composer would
 * show), else what Kling deducted last time; null when neither is known.
 */
export function againUnits(task: Pick<StudioTask, 'price' | 'units'>): number | null {
  if (task.price) return task.price.units;
  const deducted = Number(task.units);
  return task.units !== null && Number.isFinite(deducted) ? deducted : null;
}

/** Keep it (Download), iterate on it (Remix), or roll the dice again with the same inputs, at its price. */
export function TaskActions({ task, onOpenTask, onRemixed, remixInto }: TaskActionsProps) {
  const remix = useRemix(remixInto);
  const again = useGenerateAgain();
  const cancel = useCancelTask();
  const front = useMoveToFront();
  const busy = remix.isPending || again.isPending || cancel.isPending || front.isPending;
  const error = remix.error ?? again.error ?? cancel.error ?? front.error;
  const resetAll = () => {
    for (const m of [remix, again, cancel, front]) m.reset();
  };
  const next = task.queue?.position === 1;
  const units = againUnits(task);

  return (
    <div className="tasks-actions">
      {task.video && (
        // An anchor, not a script, so it can also be saved from the context menu; announced as the button
        // design.md names it. The server names the file (Content-Disposition), which browsers prefer
        // over a `download` value.
        // biome-ignore lint/a11y/useSemanticElements: a real <a href download> is what makes the file save
        <a className="button" role="button" href={taskVideoDownloadUrl(task.id)} download>
          Download
        </a>
      )}
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => {
          resetAll();
          remix.mutate(task.id, { onSuccess: () => onRemixed?.() });
        }}
      >
        Remix
      </button>
      <button
        type="button"
        className="button button--primary"
        disabled={busy}
        onClick={() => {
          resetAll();
          again.mutate(task.id, { onSuccess: (created) => onOpenTask(created.id) });
        }}
      >
        {units === null ? 'Generate again' : `Generate again · ${unitsWords(units)}`}
      </button>
      {/* Only while it waits: once the studio sends it, Kling cannot stop it and it is charged. */}
      {isWaiting(task) && (
        <>
          <button
            type="button"
            className="button"
            disabled={busy || next}
            title={
              next ? 'It is already the next task to go to Kling' : 'Send it before your other waiting tasks'
            }
            onClick={() => {
              resetAll();
              front.mutate(task.id);
            }}
          >
            Move to front
          </button>
          <button
            type="button"
            className="button"
            disabled={busy}
            title="Only a task still waiting in the queue can be cancelled; nothing is charged"
            onClick={() => {
              resetAll();
              cancel.mutate(task.id);
            }}
          >
            Cancel
          </button>
        </>
      )}
      <p className="tasks-actions-status" role="status">
        {remix.isPending && 'Loading this task’s inputs into the composer…'}
        {again.isPending && 'Submitting the same request again…'}
        {cancel.isPending && 'Cancelling…'}
        {front.isPending && 'Moving it to the front of your queue…'}
      </p>
      {error && !busy && (
        <p className="tasks-actions-error" role="alert">
          {error.message}
        </p>
      )}
    </div>
  );
}
