import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_DURATION, DEFAULT_MODEL, effectiveMode } from '../../contract/capabilities/matrix.ts';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import { KLING_CODE } from '../../contract/schemas/kling-task.ts';
import type { MotionKind, StudioTask, TaskKind } from '../../contract/schemas/studio-api.ts';
import { newExternalTaskId } from '../../contract/tasks/external-id.ts';
import { checkCreateRequest } from '../inputs/check-create-request.ts';
import { removeInputs, requestWithRefs, saveInputs } from '../inputs/input-files.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { SafeFetchOptions } from '../lib/safe-fetch.ts';
import { StudioError } from '../lib/studio-error.ts';
import { newTaskState, type TaskRecord, toStudioTask } from '../tasks/task-record.ts';
import type { TaskStore } from '../tasks/task-store.ts';
import type { WalletGuard } from '../tasks/wallet-guard.ts';
import { WAITING_FOR_CONFIRMATION } from '../tracker/failure-words.ts';
import type { TaskTracker } from '../tracker/task-tracker.ts';
import type { KlingClient } from '../upstream/kling-client.ts';
import { studioErrorFromUpstream, UpstreamError } from '../upstream/upstream-error.ts';
import { checkDiskFloor } from './disk-floor.ts';

export interface CreateTaskDeps {
  store: TaskStore;
  client: KlingClient;
  tracker: TaskTracker;
  guard: WalletGuard;
  clock: Clock;
  log: Logger;
  dataDir: string;
  /** With it, Kling calls back to `${publicUrl}/api/callbacks/kling/<token>`; without, the tracker polls. */
  publicUrl: string | undefined;
  imageFetch: Omit<SafeFetchOptions, 'maxBytes'>;
  upstreamTimeoutMs: number;
  /** Below this much free space in dataDir a create is refused with 507 (0: off). */
  minFreeDiskBytes: number;
  /** RETIRED_MODELS: a create on one is refused before anything is stored or sent. */
  retiredModels: readonly string[];
}

export const hashCallbackToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function motionOf(r: CreateRequest): MotionKind {
  if (r.camera_control) return 'camera';
  if (r.static_mask || r.dynamic_masks?.length) return 'brush';
  if (r.image_tail) return 'frames';
  return 'none';
}

/**
 * POST /api/tasks: check everything (no upstream call on any violation), store the task and its inputs
 * BEFORE sending (so a crash mid-call leaves a record the tracker can resolve), send once, and settle
 * what an error means for money: a refusal deletes the record, a lost answer is looked up by
 * external_task_id, never re-sent.
 */
export async function createTask(deps: CreateTaskDeps, body: unknown, clientId: string): Promise<StudioTask> {
  // First, before any image is fetched or anything stored: a nearly full disk refuses the create whole.
  await checkDiskFloor(deps.dataDir, deps.minFreeDiskBytes);
  const { request, images } = await checkCreateRequest(body, deps.imageFetch, deps.retiredModels);
  if (request.external_task_id && deps.store.getByExternalId(request.external_task_id))
    throw duplicateExternalId();

  const id = randomUUID();
  const externalTaskId = request.external_task_id ?? newExternalTaskId(id);
  const token = deps.publicUrl ? randomBytes(32).toString('base64url') : undefined;
  const outgoing: CreateRequest = {
    ...request,
    external_task_id: externalTaskId,
    ...(token ? { callback_url: `${deps.publicUrl}/api/callbacks/kling/${token}` } : {}),
  };
  const model = request.model_name ?? DEFAULT_MODEL;
  const now = deps.clock.now();
  const record: TaskRecord = {
    id,
    kind: 'image2video',
    externalTaskId,
    ...newTaskState(now),
    model,
    mode: effectiveMode(model, request.mode) ?? null,
    duration: request.duration ?? DEFAULT_DURATION,
    motion: motionOf(request),
    prompt: request.prompt ?? '',
    callbackTokenHash: token ? hashCallbackToken(token) : null,
    // The creator's callback_url (if any) is replaced by the studio's own; it is not kept.
    request: requestWithRefs({ ...request, external_task_id: externalTaskId, callback_url: undefined }),
    clientId,
  };
  admitAndInsert(deps, record, clientId);

  try {
    const saved = await saveInputs(deps.dataDir, id, images);
    // The decoded bytes are on disk now: let them go before the (long) upstream call, which sends the
    // base64 the request already holds.
    images.length = 0;
    deps.store.update(id, { inputs: saved.inputs, hasThumbnail: saved.hasThumbnail });
  } catch (e) {
    await discard(deps, id);
    throw e;
  }

  try {
    const answer = await deps.client.createTask(outgoing);
    return await confirmed(deps, id, answer);
  } catch (e) {
    if (!(e instanceof UpstreamError)) {
      await discard(deps, id);
      throw e;
    }
    return settleFailedCreate(deps, id, externalTaskId, 'image2video', model, e);
  }
}

/** Admit and insert with no await in between: the running-task count cannot be raced. */
export function admitAndInsert(deps: CreateTaskDeps, record: TaskRecord, clientId: string): void {
  deps.guard.admit(clientId);
  try {
    deps.store.insert(record);
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_UNIQUE')
      throw duplicateExternalId();
    throw e;
  }
}

/** The upstream's answer to a create: applied, tracked, and returned as the task. */
export async function confirmed(
  deps: CreateTaskDeps,
  id: string,
  answer: Parameters<TaskTracker['applyUpstream']>[1],
): Promise<StudioTask> {
  const updated = await deps.tracker.applyUpstream(id, answer, 'create');
  deps.tracker.track(id);
  deps.log.info('task created', { id, klingTaskId: answer.task_id });
  const record = updated ?? deps.store.get(id);
  if (!record) throw new StudioError(500, 'internal', 'The task vanished while it was being created');
  return toStudioTask(record);
}

/** What an error from the one create call means for the stored record (and for money). */
export async function settleFailedCreate(
  deps: CreateTaskDeps,
  id: string,
  externalTaskId: string,
  kind: TaskKind,
  model: string,
  e: UpstreamError,
): Promise<StudioTask> {
  const studioError = studioErrorFromUpstream(e, deps.upstreamTimeoutMs, { model });
  // A clear refusal (bad request, policy, busy, no credits, auth): nothing was created upstream.
  const serverSide =
    e.kind === 'api' &&
    ((e.details.code ?? 0) >= KLING_CODE.serverError || (e.details.httpStatus ?? 0) >= 500);
  if (e.neverSent || (e.kind === 'api' && !serverSide)) {
    deps.log.info('create refused by Kling', { id, code: e.details.code, kind: e.kind });
    await discard(deps, id);
    throw studioError;
  }
  // No usable answer: Kling may have created the task anyway. Look it up by our external id, once.
  let found: Awaited<ReturnType<KlingClient['getTask']>>;
  try {
    found = await deps.client.getTask(externalTaskId, kind);
  } catch (lookupError) {
    deps.log.warn('looking up an unanswered create failed', { id, error: lookupError });
    found = undefined;
    if (e.answered) return keepUnconfirmed(deps, id, studioError);
  }
  if (found) {
    deps.log.info('create answer lost, task found by external id', { id, kind: e.kind });
    return confirmed(deps, id, found);
  }
  // Kling answered (an error or garbage) and has no such task: settled, nothing to pay for.
  if (e.answered) {
    await discard(deps, id);
    throw studioError;
  }
  return keepUnconfirmed(deps, id, studioError);
}

/**
 * No answer at all (timeout, connection cut): the create may still land upstream. Keep the record and let
 * the tracker look it up by external_task_id for a while; it is never re-sent.
 */
function keepUnconfirmed(deps: CreateTaskDeps, id: string, cause: StudioError): never {
  const record = deps.store.update(id, {
    statusMessage: WAITING_FOR_CONFIRMATION,
    updatedAt: deps.clock.now(),
  });
  deps.tracker.publish(record);
  deps.tracker.track(id);
  deps.log.warn('create unanswered; tracking by external id', { id, code: cause.code });
  throw new StudioError(
    cause.status,
    cause.code,
    `${cause.message} The studio keeps checking whether Kling created the task: if it did, it appears in Tasks (it is never sent twice).`,
    cause.details,
  );
}

export async function discard(deps: CreateTaskDeps, id: string): Promise<void> {
  deps.store.delete(id);
  await removeInputs(deps.dataDir, id);
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
