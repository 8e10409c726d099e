import type { StudioTask } from '../../../contract/schemas/studio-api.ts';

/** "1st", "2nd", "3rd", "11th", "22nd": a place in the queue. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/**
 * What follows "Queued": the task's place in the order the studio sends tasks ("3rd"), or "sending" once
 * the studio has picked it and the create is on its way (it has no place any more, and cannot be cancelled).
 * Null for any other status, and for a queued task whose place the server did not say.
 */
export function queuePlace(task: Pick<StudioTask, 'status' | 'queue' | 'sentAt'>): string | null {
  if (task.status !== 'queued') return null;
  if (task.queue) return ordinal(task.queue.position);
  return task.sentAt ? 'sending' : null;
}

/** A task still waiting for a slot: it can be cancelled (nothing is charged) or moved to the front. */
export const isWaiting = (task: Pick<StudioTask, 'status' | 'sentAt'>): boolean =>
  task.status === 'queued' && !task.sentAt;
