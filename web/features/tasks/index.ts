/** The tasks feature's public surface: what web/app composes. */
export { TasksPanel } from './tasks-panel.tsx';
export type { RemixInto } from './use-remix.ts';
export { useTaskEvents } from './use-task-events.ts';
