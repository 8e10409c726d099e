import { DEFAULT_DURATION, DEFAULT_MODEL } from '../../contract/capabilities/matrix.ts';
import { DEFAULT_MOTION_CONTROL_MODEL } from '../../contract/capabilities/motion-control.ts';
import { image2videoPrice, motionControlPrice, type Price } from '../../contract/pricing/prices.ts';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import type { MotionControlRequest } from '../../contract/schemas/motion-control-request.ts';
import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import type { StoredInputs, StoredReference } from '../inputs/stored-inputs.ts';

/**
 * What the store knows about a task: the public StudioTask fields plus what only the server needs. The
 * stored request is the body of the task's own endpoint, so `kind` tells which shape it has.
 */
export type TaskRecord = TaskRecordFields &
  (
    | { kind: 'image2video'; request: CreateRequest }
    | {
        kind: 'motion-control';
        /** As sent, except that `image_url` holds `input:image_url` and `video_url` the reference (see create). */
        request: MotionControlRequest;
      }
  );

type TaskRecordFields = Omit<
  StudioTask,
  'video' | 'thumbnailUrl' | 'posterUrl' | 'shots' | 'price' | 'kind' | 'sentAt' | 'queue' | 'batch'
> & {
  /**
   * When the create went to Kling. Set in the same write that claims a queued task for sending, before the
   * call: a `queued` task with `sentAt` is in flight (or was, when the studio died), and is never sent again
   * without first being looked up by external_task_id.
   */
  sentAt: number | null;
  /**
   * The task's place in its client's queue (smaller goes first; "move to front" takes one below the least).
   * Null while the create is still storing its inputs: the dispatcher only sends tasks that are whole.
   */
  queueSeq: number | null;
  /** The price list's units for the task (what the daily budget counts); null when the table has none. */
  priceUnits: number | null;
  /** Set for tasks of one `POST /api/tasks/batch`: its id, the task's index and the batch's size. */
  batchId: string | null;
  batchIndex: number | null;
  batchSize: number | null;
  /** Motion control: the base URL Kling downloads an upload from (the signed link is made when sent). */
  uploadBase: string | null;
  /** Set once Kling acknowledged the create (or the task was found by external id). */
  confirmedAt: number | null;
  /** Kling's result URL and duration (kept until the copy is archived; the URL expires after 30 days). */
  resultUrl: string | null;
  resultDuration: string | null;
  /** Relative to DATA_DIR. */
  videoPath: string | null;
  videoBytes: number | null;
  videoDuration: string | null;
  archivedAt: number | null;
  callbackTokenHash: string | null;
  /** The create request as sent, except that image fields hold `input:<field>` references. */
  request: CreateRequest | MotionControlRequest;
  inputs: StoredInputs;
  /** A motion-control task's reference video (null for image2video). */
  reference: StoredReference | null;
  hasThumbnail: boolean;
  /**
   * Who created it, for the queue's round-robin: the `x-studio-client` header when the browser sends one,
   * else the peer address (rows from before the queue: always the peer address).
   */
  clientId: string | null;
};

/**
 * What every new task starts with, whatever its kind: queued now (not yet whole: `queueSeq` is given once
 * its inputs are stored), never sent, nothing known from Kling yet.
 */
export function newTaskState(now: number) {
  return {
    klingTaskId: null,
    status: 'queued',
    sentAt: null,
    queueSeq: null,
    batchId: null,
    batchIndex: null,
    batchSize: null,
    uploadBase: null,
    statusMessage: null,
    units: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    confirmedAt: null,
    resultUrl: null,
    resultDuration: null,
    videoPath: null,
    videoBytes: null,
    videoDuration: null,
    archivedAt: null,
    inputs: {},
    reference: null,
    hasThumbnail: false,
  } as const satisfies Partial<TaskRecord>;
}

/**
 * The public view of a record: what the web sees. Routes under /api/tasks/:id serve the files. A waiting
 * task's place in the queue is the dispatcher's to know; callers that have it pass it.
 */
export function toStudioTask(r: TaskRecord, queuePosition?: number): StudioTask {
  return {
    id: r.id,
    kind: r.kind,
    // Derived from the stored request, so older rows need no migration.
    shots: r.kind === 'image2video' && r.request.multi_shot ? (r.request.multi_prompt?.length ?? null) : null,
    price: listPrice(r),
    externalTaskId: r.externalTaskId,
    klingTaskId: r.klingTaskId,
    status: r.status,
    statusMessage: r.statusMessage,
    model: r.model,
    mode: r.mode,
    duration: r.duration,
    motion: r.motion,
    prompt: r.prompt,
    units: r.units,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    finishedAt: r.finishedAt,
    video:
      r.archivedAt !== null && r.videoBytes !== null
        ? {
            url: `/api/tasks/${r.id}/video`,
            duration: r.videoDuration ?? r.resultDuration ?? '',
            bytes: r.videoBytes,
          }
        : null,
    thumbnailUrl: r.hasThumbnail ? `/api/tasks/${r.id}/thumbnail` : null,
    posterUrl: r.archivedAt !== null && r.videoPath ? `/api/tasks/${r.id}/poster` : null,
    sentAt: r.sentAt,
    ...(r.status === 'queued' && queuePosition !== undefined ? { queue: { position: queuePosition } } : {}),
    ...(r.batchId !== null && r.batchIndex !== null && r.batchSize !== null
      ? { batch: { id: r.batchId, index: r.batchIndex, size: r.batchSize } }
      : {}),
  };
}

/** The units the price list gives a task's settings (what BUDGET_UNITS_PER_DAY counts), or null. */
export function priceUnitsOf(
  task:
    | { kind: 'image2video'; request: CreateRequest }
    | { kind: 'motion-control'; request: MotionControlRequest; referenceMs: number },
): number | null {
  const price =
    task.kind === 'image2video'
      ? listPrice({ kind: task.kind, request: task.request, reference: null })
      : listPrice({ kind: task.kind, request: task.request, reference: { durationMs: task.referenceMs } });
  return price?.units ?? null;
}

type PriceInput = { reference: Pick<StoredReference, 'durationMs'> | null } & (
  | { kind: 'image2video'; request: CreateRequest }
  | { kind: 'motion-control'; request: MotionControlRequest }
);

/** What the price list says the task costs: the same table the composer showed before Generate. */
function listPrice(r: PriceInput): Price | null {
  if (r.kind === 'image2video') {
    const q = r.request;
    return (
      image2videoPrice({
        model: q.model_name ?? DEFAULT_MODEL,
        mode: q.mode,
        duration: q.duration ?? DEFAULT_DURATION,
        sound: q.sound === 'on',
        voices: q.voice_list?.length ?? 0,
      }) ?? null
    );
  }
  const q = r.request;
  return r.reference
    ? motionControlPrice(q.model_name ?? DEFAULT_MOTION_CONTROL_MODEL, q.mode, r.reference.durationMs)
    : null;
}
