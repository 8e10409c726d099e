import { isFinalStatus } from '../../../contract/schemas/kling-task.ts';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { excerpt } from './format.ts';
import { TaskFailure } from './task-failure.tsx';
import { TaskProgress } from './task-progress.tsx';
import { TaskThumbnail } from './task-thumbnail.tsx';
import { useNow } from './use-now.ts';

/** The result video once it exists; until then the start frame with honest progress, or why it failed. */
export function TaskMedia({ task }: { task: StudioTask }) {
  const now = useNow(!isFinalStatus(task.status));
  if (task.status === 'failed') return <TaskFailure task={task} />;
  if (task.status === 'succeed' && task.video) {
    return (
      // biome-ignore lint/a11y/useMediaCaption: Kling returns no transcript; the prompt is the only text there is.
      <video
        // A new src (another task) must start a fresh element, not keep the old one's position.
        key={task.video.url}
        className="tasks-video"
        src={task.video.url}
        poster={task.posterUrl ?? task.thumbnailUrl ?? undefined}
        aria-label={`Result video: ${excerpt(task.prompt, 60) || 'untitled'}`}
        controls
        loop
        playsInline
        preload="metadata"
      />
    );
  }
  return (
    <div className="tasks-pending">
      <TaskThumbnail url={task.thumbnailUrl} size="large" />
      {task.status !== 'succeed' && <TaskProgress task={task} now={now} />}
      {/* The studio's own words when something is off: waiting for Kling to confirm, no video sent, copy failed. */}
      {task.statusMessage ? (
        <p role="status">{task.statusMessage}</p>
      ) : (
        task.status === 'succeed' && <p role="status">Kling has finished; the studio is saving a copy…</p>
      )}
    </div>
  );
}
