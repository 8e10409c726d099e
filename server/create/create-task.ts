import { randomUUID } from 'node:crypto';
import { DEFAULT_DURATION, DEFAULT_MODEL, effectiveMode } from '../../contract/capabilities/matrix.ts';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import type { MotionKind, StudioTask } from '../../contract/schemas/studio-api.ts';
import { newExternalTaskId } from '../../contract/tasks/external-id.ts';
import type { FileStorage } from '../files/file-storage.ts';
import { checkCreateRequest } from '../inputs/check-create-request.ts';
import type { CollectedImage } from '../inputs/collect-images.ts';
import { removeInputs, requestWithRefs, saveInputs } from '../inputs/input-files.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { SafeFetchOptions } from '../lib/safe-fetch.ts';
import { StudioError } from '../lib/studio-error.ts';
import type { DailyBudget } from '../tasks/daily-budget.ts';
import { DuplicateExternalId } from '../tasks/store-errors.ts';
import { newTaskState, priceUnitsOf, type TaskRecord, toStudioTask } from '../tasks/task-record.ts';
import type { TaskStore } from '../tasks/task-store.ts';
import type { WalletGuard } from '../tasks/wallet-guard.ts';
import type { TaskEvents } from '../tracker/task-events.ts';
import { checkDiskFloor } from './disk-floor.ts';

export { hashCallbackToken } from '../tasks/callback-token.ts';

/** The queue as a create sees it (server/queue's dispatcher): told when a task is whole, asked its place. */
export interface QueueHandle {
  wake(): void;
  placeOf(task: TaskRecord): Promise<number | undefined>;
}

export interface CreateTaskDeps {
  store: TaskStore;
  events: TaskEvents;
  queue: QueueHandle;
  guard: WalletGuard;
  budget: DailyBudget;
  clock: Clock;
  log: Logger;
  dataDir: string;
  /** Where inputs are kept (DATA_DIR or the bucket). */
  files: FileStorage;
  imageFetch: Omit<SafeFetchOptions, 'maxBytes'>;
  /** Below this much free space in dataDir a create is refused with 507 (0: off). */
  minFreeDiskBytes: number;
  /** RETIRED_MODELS: a create on one is refused before anything is stored or sent. */
  retiredModels: readonly string[];
}

/**
 * Who asks: `peer` (the socket's address) for the per-client rate limit, which a header cannot forge;
 * `client` (the `x-studio-client` header, else the peer) for the queue's round-robin between creators.
 */
export interface Creator {
  peer: string;
  client: string;
}

export function motionOf(r: CreateRequest): MotionKind {
  if (r.camera_control) return 'camera';
  if (r.static_mask || r.dynamic_masks?.length) return 'brush';
  if (r.image_tail) return 'frames';
  return 'none';
}

/**
 * POST /api/tasks: check everything (validation, the pictures' real bytes, the disk floor; nothing is
 * stored on any violation), admit it (wallet guard, daily budget) together with the insert, store its
 * inputs, and queue it: the answer is the task, `queued`, at once. The dispatcher (server/queue) sends it
 * when Kling has a slot; what Kling then says (a refusal included) reaches the task, not this answer.
 */
export async function createTask(deps: CreateTaskDeps, body: unknown, who: Creator): Promise<StudioTask> {
  // First, before any image is fetched or anything stored: a nearly full disk refuses the create whole.
  await checkDiskFloor(deps.dataDir, deps.minFreeDiskBytes);
  const { request, images } = await checkCreateRequest(body, deps.imageFetch, deps.retiredModels);
  if (request.external_task_id && (await deps.store.getByExternalId(request.external_task_id)))
    throw duplicateExternalId();
  const record = image2videoRecord(request, who.client, deps.clock.now());
  await admitAndInsert(deps, [record], who.peer);
  await storeInputs(deps, [record], images);
  // The decoded bytes are on disk now: let them go.
  images.length = 0;
  return (await enqueue(deps, [record]))[0]!;
}

/** A new image2video task's record, queued and not yet whole (its inputs are stored next). */
export function image2videoRecord(
  request: CreateRequest,
  client: string,
  now: number,
  batch?: { id: string; index: number; size: number },
): TaskRecord {
  const id = randomUUID();
  const externalTaskId = request.external_task_id ?? newExternalTaskId(id);
  const model = request.model_name ?? DEFAULT_MODEL;
  // The creator's callback_url (if any) is replaced by the studio's own when sent; it is not kept.
  const stored = requestWithRefs({ ...request, external_task_id: externalTaskId, callback_url: undefined });
  return {
    id,
    kind: 'image2video',
    externalTaskId,
    ...newTaskState(now),
    model,
    mode: effectiveMode(model, request.mode) ?? null,
    duration: request.duration ?? DEFAULT_DURATION,
    motion: motionOf(request),
    prompt: request.prompt ?? '',
    callbackTokenHash: null,
    request: stored,
    clientId: client,
    priceUnits: priceUnitsOf({ kind: 'image2video', request }),
    ...(batch ? { batchId: batch.id, batchIndex: batch.index, batchSize: batch.size } : {}),
  };
}

/**
 * Admit and insert in one transaction: the budget and the wallet guard count what is stored, and the
 * store serialises transactions (across replicas too), so two creates cannot both squeeze under a limit.
 * A batch is admitted (or refused) whole, and counts as one create against the per-client rate. The
 * serialised part is kept short, as every create in the cluster waits on it: every figure in one query,
 * the records in one insert; and with every limit off (nothing counted) no lock at all, only one atomic
 * insert.
 */
export async function admitAndInsert(
  deps: CreateTaskDeps,
  records: TaskRecord[],
  peer: string,
): Promise<void> {
  const units = records.reduce((sum, r) => sum + (r.priceUnits ?? 0), 0);
  const now = deps.clock.now();
  const since = deps.budget.countsFrom(now);
  const { guard } = deps;
  try {
    if (since === undefined && !guard.countsUnfinished && !guard.countsRecent) {
      await deps.store.insertMany(records);
      return;
    }
    await deps.store.transaction(async (tx) => {
      const recentSince = guard.recentSince(now);
      const counts = await tx.admissionCounts({ since: since ?? now, peer, recentSince });
      deps.budget.admit(units, counts.spentUnits, now);
      guard.admit(records.length, counts);
      await tx.insertMany(records);
      if (guard.countsRecent) await tx.recordCreate(peer, now, recentSince);
    });
  } catch (e) {
    if (e instanceof DuplicateExternalId) throw duplicateExternalId();
    throw e;
  }
}

/** Every record's inputs, saved before any of them may be sent; on a failure none is kept. */
export async function storeInputs(
  deps: CreateTaskDeps,
  records: TaskRecord[],
  images: CollectedImage[] | ((r: TaskRecord) => CollectedImage[]),
): Promise<void> {
  try {
    for (const r of records) {
      const saved = await saveInputs(deps.files, r.id, typeof images === 'function' ? images(r) : images);
      await deps.store.update(r.id, { inputs: saved.inputs, hasThumbnail: saved.hasThumbnail });
    }
  } catch (e) {
    for (const r of records) await discard(deps, r.id);
    throw e;
  }
}

/**
 * The tasks are whole: they join the queue and the dispatcher is told (it may claim one at once: such a
 * task is on its way and has no place), then each is announced as it stands.
 */
export async function enqueue(deps: CreateTaskDeps, records: TaskRecord[]): Promise<StudioTask[]> {
  for (const r of records) await deps.store.markReady(r.id);
  deps.queue.wake();
  deps.log.info('task queued', { ids: records.map((r) => r.id) });
  const tasks: StudioTask[] = [];
  for (const r of records) {
    const stored = await deps.store.get(r.id);
    if (!stored) throw new StudioError(500, 'internal', 'The task vanished while it was being queued');
    const task = toStudioTask(stored, await deps.queue.placeOf(stored));
    deps.events.publish(task);
    tasks.push(task);
  }
  return tasks;
}

export async function discard(deps: Pick<CreateTaskDeps, 'store' | 'files'>, id: string): Promise<void> {
  await deps.store.delete(id);
  await removeInputs(deps.files, id);
}

export function duplicateExternalId(): StudioError {
  return new StudioError(
    409,
    'duplicate_external_task_id',
    'external_task_id is already used by another task',
    {
      issues: [
        {
          field: 'external_task_id',
          rule: 'external_task_id_duplicate',
          message:
            'external_task_id: this id is already used by another task; leave it out to get a fresh one',
        },
      ],
    },
  );
}
