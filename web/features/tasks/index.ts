/** The tasks feature's public surface: what web/app composes. */
export { TasksPanel } from './tasks-panel.tsx';
export { useTaskEvents } from './use-task-events.ts';
