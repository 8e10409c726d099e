import type { TaskStatus } from '../../../contract/schemas/kling-task.ts';

/**
 * What each of Kling's statuses reads as in the UI. Kling says `succeed`; people (and the e2e tests,
 * design.md "Accessible names") read "Succeeded".
 */
export const STATUS_LABELS = {
  submitted: 'Submitted',
  processing: 'Processing',
  succeed: 'Succeeded',
  failed: 'Failed',
} as const satisfies Record<TaskStatus, string>;

export type StatusLabel = (typeof STATUS_LABELS)[TaskStatus];

export const statusLabel = (status: TaskStatus): StatusLabel => STATUS_LABELS[status];
