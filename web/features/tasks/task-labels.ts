import type { ModelCapabilities, ModelName } from '../../../contract/capabilities/matrix.ts';
import type { TaskStatus } from '../../../contract/schemas/kling-task.ts';
import type { MotionKind, StudioTask } from '../../../contract/schemas/studio-api.ts';
import { setupWords, unitsWords } from '../../../contract/words/setup-words.ts';

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

/** "Kling 3.0 · 4K · 12 s · 3 shots", in the composer's words. Models without modes show no mode. */
export function settingsLine(task: Pick<StudioTask, 'model' | 'mode' | 'duration' | 'shots'>): string {
  const setup = setupWords({ model: task.model, mode: task.mode ?? undefined });
  return `${setup} · ${lengthLine(task)}`;
}

/**
 * What the task cost, "3.5 units": what Kling deducted once it says, else the price list's figure for its
 * settings; null when neither is known.
 */
export function costUnits(task: Pick<StudioTask, 'units' | 'price'>): number | null {
  if (task.units !== null && Number.isFinite(Number(task.units))) return Number(task.units);
  return task.price?.units ?? null;
}

export function costLine(task: Pick<StudioTask, 'units' | 'price'>): string | null {
  const units = costUnits(task);
  return units === null ? null : unitsWords(units);
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
 * Every status a task can show, in people's words (design.md "Accessible names"): Kling says `succeed`,
 * people read "Succeeded". `queued` and `cancelled` are the studio's own (held back while Kling's slots are
 * full, or called off before sending); named here so the gallery speaks them the day the store has them.
 */
const LABELS = {
  queued: 'Queued',
  submitted: 'Submitted',
  processing: 'Processing',
  succeed: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
} as const;

export const STATUS_LABELS: Readonly<Record<TaskStatus, string>> = LABELS satisfies Record<
  TaskStatus,
  string
>;

export type StatusLabel = (typeof LABELS)[keyof typeof LABELS];

export const statusLabel = (status: TaskStatus): StatusLabel => LABELS[status as keyof typeof LABELS];
