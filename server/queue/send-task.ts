import { DEFAULT_MODEL } from '../../contract/capabilities/matrix.ts';
import { DEFAULT_MOTION_CONTROL_MODEL } from '../../contract/capabilities/motion-control.ts';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import { KLING_CODE, type KlingTask } from '../../contract/schemas/kling-task.ts';
import type { MotionControlRequest } from '../../contract/schemas/motion-control-request.ts';
import type { FileStorage } from '../files/file-storage.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { hashCallbackToken, newCallbackToken } from '../tasks/callback-token.ts';
import type { TaskRecord } from '../tasks/task-record.ts';
import type { TaskStore } from '../tasks/task-store.ts';
import { WAITING_FOR_CONFIRMATION } from '../tracker/failure-words.ts';
import type { TaskTracker } from '../tracker/task-tracker.ts';
import type { Uploads } from '../uploads/upload-store.ts';
import type { KlingClient } from '../upstream/kling-client.ts';
import { studioErrorFromUpstream, UpstreamError } from '../upstream/upstream-error.ts';
import { outgoingRequest } from './outgoing-request.ts';
import {
  INPUTS_LOST,
  NOT_SENT_BUG,
  QUEUE_WORDS,
  SENT_AGAIN,
  WAITING_FOR_KLING,
  WAITING_FOR_RATE,
  WAITING_FOR_SLOT,
} from './queue-words.ts';

export interface SendDeps {
  store: TaskStore;
  client: KlingClient;
  tracker: TaskTracker;
  clock: Clock;
  log: Logger;
  /** Where the inputs of a task are kept (DATA_DIR or the bucket). */
  files: FileStorage;
  /** With it, Kling calls back to `${publicUrl}/api/callbacks/kling/<token>`; without, the tracker polls. */
  publicUrl: string | undefined;
  upstreamTimeoutMs: number;
  uploads: Pick<Uploads, 'signedUrl'>;
}

/**
 * What became of one send. `retry`: Kling refused it without creating anything and said why (no slot,
 * too fast) or could not be reached; the task is waiting again. `unconfirmed`: no answer came, so it may
 * exist upstream; it is followed by external_task_id and never sent again.
 */
export type SendOutcome =
  | {
      kind: 'accepted';
      /** Kling's `created_at` of the task, when this send created it (not when it was settled elsewhere). */
      klingCreatedAt?: number;
    }
  | { kind: 'unconfirmed' }
  | { kind: 'failed' }
  | { kind: 'retry'; reason: 'busy' | 'rate' | 'unreachable' };

const modelOf = (r: TaskRecord) =>
  r.request.model_name ?? (r.kind === 'image2video' ? DEFAULT_MODEL : DEFAULT_MOTION_CONTROL_MODEL);

/**
 * Sends one claimed task (its `sentAt` already written) exactly once and settles what the answer means,
 * as a create always has: an answer is applied and followed; a clear refusal fails the task with Kling's
 * reason in plain words (nothing was created, nothing is paid); a lost answer is looked up by
 * external_task_id, never re-sent. What is new with the queue: "no slot" (1303), "too fast" (1302) and
 * "unreachable" put the task back in the queue instead of failing it.
 */
export async function sendTask(deps: SendDeps, id: string): Promise<SendOutcome> {
  const record = await deps.store.get(id);
  if (record?.status !== 'queued') return { kind: 'accepted' };
  const token = deps.publicUrl ? newCallbackToken() : undefined;
  let body: CreateRequest | MotionControlRequest;
  try {
    body = await outgoingRequest(record, {
      files: deps.files,
      publicUrl: deps.publicUrl,
      callbackToken: token,
      uploads: deps.uploads,
    });
  } catch (e) {
    deps.log.warn('a queued task could not be rebuilt for sending', { id, error: e });
    return fail(deps, id, INPUTS_LOST);
  }
  // Before the call: a callback may come back before the create's own answer does. The hash is written
  // even without callbacks (of a token nobody is given): a task in flight without one never left, so
  // whoever takes over after a crash may queue it again instead of waiting for a create that never was.
  const departing = await deps.store.updateIfStatus(id, 'queued', {
    callbackTokenHash: hashCallbackToken(token ?? newCallbackToken()),
  });
  // Put back in the queue meanwhile (a sender that took over from this one): it goes out from there.
  if (!departing) return { kind: 'accepted' };
  if (departing.sentAt === null) {
    await deps.store.updateIfStatus(id, 'queued', { callbackTokenHash: null });
    return { kind: 'accepted' };
  }
  try {
    const answer =
      record.kind === 'image2video'
        ? await deps.client.createTask(body as CreateRequest)
        : await deps.client.createMotionControl(body as MotionControlRequest);
    await confirmed(deps, id, answer);
    return { kind: 'accepted', klingCreatedAt: answer.created_at };
  } catch (e) {
    if (!(e instanceof UpstreamError)) {
      deps.log.error('sending a task failed unexpectedly', { id, error: e });
      return fail(deps, id, NOT_SENT_BUG);
    }
    return settle(deps, record, e);
  }
}

/** The upstream's answer to a create: applied and followed. */
async function confirmed(deps: SendDeps, id: string, answer: KlingTask): Promise<void> {
  await followKlingTask(deps, id, answer);
  deps.log.info('task sent', { id, klingTaskId: answer.task_id });
}

/**
 * A queued task Kling has (`answer`: its create's answer, or the task found by external id): what the
 * queue said while it waited is dropped, Kling's state applied, and the task followed.
 */
export async function followKlingTask(
  deps: Pick<SendDeps, 'store' | 'tracker'>,
  id: string,
  answer: KlingTask,
): Promise<void> {
  const before = await deps.store.get(id);
  if (before?.statusMessage && QUEUE_WORDS.includes(before.statusMessage))
    await deps.store.update(id, { statusMessage: null });
  await deps.tracker.applyUpstream(id, answer, 'create');
  deps.tracker.track(id);
}

async function settle(deps: SendDeps, record: TaskRecord, e: UpstreamError): Promise<SendOutcome> {
  const { id, externalTaskId, kind } = record;
  const code = e.details.code;
  if (e.kind === 'api' && code === KLING_CODE.concurrency) return requeue(deps, id, 'busy', WAITING_FOR_SLOT);
  if (
    e.kind === 'api' &&
    (code === KLING_CODE.rateLimited || (code === undefined && e.details.httpStatus === 429))
  )
    return requeue(deps, id, 'rate', WAITING_FOR_RATE);
  // Nothing reached Kling: the same task can go again without any risk of paying twice.
  if (e.kind === 'unreachable') return requeue(deps, id, 'unreachable', WAITING_FOR_KLING);

  const studioError = studioErrorFromUpstream(e, deps.upstreamTimeoutMs, { model: modelOf(record) });
  const serverSide =
    e.kind === 'api' && ((code ?? 0) >= KLING_CODE.serverError || (e.details.httpStatus ?? 0) >= 500);
  // A clear refusal (bad request, policy, no credits, credentials): nothing was created upstream. Unless
  // it refuses our external id as taken (1201, or any refusal of a task sent again after its sender
  // died): then the first create did land, and the task it made is ours.
  if (e.neverSent || (e.kind === 'api' && !serverSide)) {
    const mayBeOurs =
      !e.neverSent && (code === KLING_CODE.invalidParameter || record.statusMessage === SENT_AGAIN);
    const ours = mayBeOurs
      ? await deps.client.getTask(externalTaskId, kind).catch(() => undefined)
      : undefined;
    if (ours) {
      deps.log.info('create refused, but Kling has the task under this external id', { id, code });
      await confirmed(deps, id, ours);
      return { kind: 'accepted' };
    }
    deps.log.info('create refused by Kling', { id, code, kind: e.kind });
    return fail(deps, id, studioError.message);
  }
  // No usable answer: Kling may have created the task anyway. Look it up by our external id, once.
  let found: KlingTask | undefined;
  try {
    found = await deps.client.getTask(externalTaskId, kind);
  } catch (lookupError) {
    deps.log.warn('looking up an unanswered create failed', { id, error: lookupError });
    if (e.answered) return unconfirmed(deps, id);
  }
  if (found) {
    deps.log.info('create answer lost, task found by external id', { id, kind: e.kind });
    await confirmed(deps, id, found);
    return { kind: 'accepted', klingCreatedAt: found.created_at };
  }
  // Kling answered (an error or garbage) and has no such task: settled, nothing to pay for.
  if (e.answered) return fail(deps, id, studioError.message);
  return unconfirmed(deps, id);
}

/**
 * Each ending below applies only to a task still queued (one conditional write): a callback that arrived during the call (Kling
 * calls back on submit) has already moved it on, and statuses only move forward.
 */
async function requeue(
  deps: SendDeps,
  id: string,
  reason: 'busy' | 'rate' | 'unreachable',
  message: string,
): Promise<SendOutcome> {
  const current = await deps.store.get(id);
  const changed = current?.statusMessage !== message;
  const record = await deps.store.updateIfStatus(id, 'queued', {
    sentAt: null,
    callbackTokenHash: null,
    statusMessage: message,
    ...(changed ? { updatedAt: deps.clock.now() } : {}),
  });
  if (!record) return { kind: 'accepted' };
  if (changed) deps.tracker.publish(record);
  deps.log.info('create refused for now; the task stays queued', { id, reason });
  return { kind: 'retry', reason };
}

async function fail(deps: SendDeps, id: string, message: string): Promise<SendOutcome> {
  const now = deps.clock.now();
  const record = await deps.store.updateIfStatus(id, 'queued', {
    status: 'failed',
    statusMessage: message,
    finishedAt: now,
    updatedAt: now,
  });
  if (!record) return { kind: 'accepted' };
  deps.tracker.publish(record);
  return { kind: 'failed' };
}

/**
 * No answer at all (timeout, connection cut): the create may still land upstream. The task counts as
 * sent (it may hold a slot at Kling) and the tracker looks it up by external_task_id for a while.
 */
async function unconfirmed(deps: SendDeps, id: string): Promise<SendOutcome> {
  const record = await deps.store.updateIfStatus(id, 'queued', {
    status: 'submitted',
    statusMessage: WAITING_FOR_CONFIRMATION,
    updatedAt: deps.clock.now(),
  });
  if (!record) return { kind: 'accepted' };
  deps.tracker.publish(record);
  deps.tracker.track(id);
  deps.log.warn('create unanswered; tracking by external id', { id });
  return { kind: 'unconfirmed' };
}
