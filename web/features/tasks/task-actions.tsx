import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { taskVideoDownloadUrl } from '../../api/task-queries.ts';
import { useGenerateAgain } from './use-generate-again.ts';
import { type RemixInto, useRemix } from './use-remix.ts';

interface TaskActionsProps {
  task: StudioTask;
  onOpenTask: (id: string) => void;
  remixInto: RemixInto;
}

/** Keep it (Download), iterate on it (Remix), or roll the dice again with the same inputs. */
export function TaskActions({ task, onOpenTask, remixInto }: TaskActionsProps) {
  const remix = useRemix(remixInto);
  const again = useGenerateAgain();
  const busy = remix.isPending || again.isPending;
  const error = remix.error ?? again.error;

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
          again.reset();
          remix.mutate(task.id);
        }}
      >
        Remix
      </button>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => {
          remix.reset();
          again.mutate(task.id, { onSuccess: (created) => onOpenTask(created.id) });
        }}
      >
        Generate again
      </button>
      <p className="tasks-actions-status" role="status">
        {remix.isPending && 'Loading this task’s inputs into the composer…'}
        {remix.isSuccess && !busy && 'Loaded into the composer: change anything, then press Generate.'}
        {again.isPending && 'Submitting the same request again…'}
      </p>
      {error && !busy && (
        <p className="tasks-actions-error" role="alert">
          {error.message}
        </p>
      )}
    </div>
  );
}
