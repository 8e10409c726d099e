import { TasksPanel } from '../features/tasks/index.ts';
import { remixIntoStudio } from './remix.ts';

/**
 * The task history beside (wide screens) or below the composer; opens the task Generate just made.
 * Remix goes through here so the tasks feature never imports the motion brush.
 */
export function TasksSlot({ lastCreatedId }: { lastCreatedId: string | null }) {
  return <TasksPanel lastCreatedId={lastCreatedId} remixInto={remixIntoStudio} />;
}
