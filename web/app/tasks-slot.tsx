import { TasksPanel } from '../features/tasks/index.ts';

/** The task history beside (wide screens) or below the composer; opens the task Generate just made. */
export function TasksSlot({ lastCreatedId }: { lastCreatedId: string | null }) {
  return <TasksPanel lastCreatedId={lastCreatedId} />;
}
