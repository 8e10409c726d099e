import { MODELS, type ModelCapabilities, type ModelName } from '../../../contract/capabilities/matrix.ts';
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

/** "12 s · 3 shots" for a kling-v3 storyboard, "5 s" for a single shot. */
export function lengthLine(task: Pick<StudioTask, 'duration' | 'shots'>): string {
  const length = `${task.duration} s`;
  if (!task.shots) return length;
  return `${length} · ${task.shots} ${task.shots === 1 ? 'shot' : 'shots'}`;
}

/** "Kling 3.0 · 4k · 12 s · 3 shots". Models without modes (the v2 masters) show no mode. */
export function settingsLine(task: Pick<StudioTask, 'model' | 'mode' | 'duration' | 'shots'>): string {
  return [MODELS[task.model].label, task.mode, lengthLine(task)].filter(Boolean).join(' · ');
}

/** The badge a task's model wears in the served map: "Legacy", "Retired", or none for a current model. */
export function lifecycleBadge(
  models: Readonly<Record<ModelName, ModelCapabilities>>,
  model: ModelName,
): { text: 'Legacy' | 'Retired'; note: string | undefined } | undefined {
  const { status, note } = models[model].lifecycle;
  if (status === 'active') return undefined;
  return { text: status === 'legacy' ? 'Legacy' : 'Retired', note };
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
