import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import type { Clock } from '../lib/clock.ts';
import { notFound, StudioError } from '../lib/studio-error.ts';
import { type TaskRecord, toStudioTask } from '../tasks/task-record.ts';
import type { TaskStore } from '../tasks/task-store.ts';
import type { TaskEvents } from '../tracker/task-events.ts';
import type { Dispatcher } from './dispatcher.ts';
import { CANCELLED } from './queue-words.ts';

export interface QueueActionDeps {
  store: TaskStore;
  events: TaskEvents;
  dispatcher: Pick<Dispatcher, 'wake' | 'placeOf'>;
  clock: Clock;
}

/** Why a task is past the point where the queue can change it, in the creator's words. */
function pastTheQueue(r: TaskRecord, action: 'cancelled' | 'moved'): string {
  if (r.status === 'queued')
    return `This task is being sent to Kling right now, so it can no longer be ${action}.`;
  if (r.status === 'submitted' || r.status === 'processing')
    return action === 'cancelled'
      ? 'This task was already sent to Kling, which cannot stop it: it runs to the end and is charged. Only a task still waiting in the queue can be cancelled.'
      : 'This task was already sent to Kling. Only a task still waiting in the queue can be moved.';
  return `This task has already ended. Only a task still waiting in the queue can be ${action}.`;
}

const view = async (deps: QueueActionDeps, id: string): Promise<StudioTask> => {
  const r = await deps.store.get(id);
  if (!r) throw notFound();
  return toStudioTask(r, await deps.dispatcher.placeOf(r));
};

/**
 * POST /api/tasks/:id/cancel: a task waiting in the queue ends `cancelled`, never sent, nothing spent
 * (the budget stops counting it). Once sent it cannot be: 409 with why. Cancelling twice answers the
 * cancelled task again.
 */
export async function cancelTask(deps: QueueActionDeps, id: string): Promise<StudioTask> {
  const record = await deps.store.get(id);
  if (!record) throw notFound();
  if (record.status === 'cancelled') return view(deps, id);
  // One conditional write: a task the dispatcher has just claimed is not waiting any more and stays sent.
  if (!(await deps.store.cancel(id, deps.clock.now(), CANCELLED)))
    throw new StudioError(
      409,
      'not_cancellable',
      pastTheQueue((await deps.store.get(id)) ?? record, 'cancelled'),
    );
  const task = await view(deps, id);
  deps.events.publish(task);
  deps.dispatcher.wake();
  return task;
}

/** POST /api/tasks/:id/move-to-front: a waiting task goes before every other waiting task of its creator. */
export async function moveToFront(deps: QueueActionDeps, id: string): Promise<StudioTask> {
  const record = await deps.store.get(id);
  if (!record) throw notFound();
  if (!(await deps.store.moveToFront(id)))
    throw new StudioError(409, 'not_movable', pastTheQueue((await deps.store.get(id)) ?? record, 'moved'));
  deps.dispatcher.wake();
  const task = await view(deps, id);
  deps.events.publish(task);
  return task;
}
