import { MODELS } from '../../../contract/capabilities/matrix.ts';
import type { TaskStatus } from '../../../contract/schemas/kling-task.ts';
import type { MotionKind, StudioTask } from '../../../contract/schemas/studio-api.ts';

/** Motion kinds in the words the composer's tabs use (design.md "Accessible names"). */
export const MOTION_LABELS = {
  camera: 'Camera',
  brush: 'Motion brush',
  frames: 'Start & end frames',
  reference: 'Reference video',
  none: 'Image only',
} as const satisfies Record<MotionKind, string>;

/** "Kling 1.0 · std · 5 s". Models without modes (the v2 masters) show no mode. */
export function settingsLine(task: Pick<StudioTask, 'model' | 'mode' | 'duration'>): string {
  return [MODELS[task.model].label, task.mode, `${task.duration} s`].filter(Boolean).join(' · ');
}

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
