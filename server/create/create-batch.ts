import { randomUUID } from 'node:crypto';
import { violationsFromZod } from '../../contract/rules/schema-issues.ts';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import {
  BATCH_LIMITS,
  type BatchResponse,
  batchRequestSchema,
  type Violation,
} from '../../contract/schemas/studio-api.ts';
import { checkCreateRequest } from '../inputs/check-create-request.ts';
import type { CollectedImage } from '../inputs/collect-images.ts';
import { StudioError, validationError } from '../lib/studio-error.ts';
import type { TaskRecord } from '../tasks/task-record.ts';
import {
  admitAndInsert,
  type CreateTaskDeps,
  type Creator,
  enqueue,
  image2videoRecord,
  storeInputs,
} from './create-task.ts';
import { checkDiskFloor } from './disk-floor.ts';

interface Checked {
  index: number;
  request: CreateRequest;
  images: CollectedImage[];
}

/** `images[2]` → "Picture 3 (images[2])": a batch frame's issues name the frame, as create's name a field. */
const frameLabel = (index: number) => `Picture ${index + 1} (images[${index}])`;
const START_FRAME_LABEL = /^Start frame \(image\)/;

/**
 * POST /api/tasks/batch: one create request as `count` identical takes, or once per start frame in
 * `images`. Every task passes the checks a single create does; a frame that does not is refused alone, by
 * its index, with the error its own create would get. The budget and the wallet guard admit the accepted
 * tasks together (all or none), all their inputs are stored, then all are queued in the batch's order.
 */
export async function createBatch(deps: CreateTaskDeps, body: unknown, who: Creator): Promise<BatchResponse> {
  await checkDiskFloor(deps.dataDir, deps.minFreeDiskBytes);
  const parsed = batchRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(violationsFromZod(parsed.error, body));
  const { request: base, count, images } = parsed.data;
  if ((count === undefined) === (images === undefined))
    throw validationError([
      {
        field: 'count',
        rule: 'batch_shape',
        message: `Takes (count): give either count (1–${BATCH_LIMITS.takes} identical takes) or images (up to ${BATCH_LIMITS.frames} start frames, one task each), not both and not neither`,
      },
    ]);
  if (base.external_task_id !== undefined)
    throw validationError([
      {
        field: 'external_task_id',
        rule: 'batch_external_task_id',
        message: 'external_task_id: a batch gives each of its tasks an id of its own; leave it out',
      },
    ]);

  const accepted: Checked[] = [];
  const refused: BatchResponse['refused'] = [];
  if (count !== undefined) {
    const one = await checkCreateRequest(base, deps.imageFetch, deps.retiredModels);
    for (let i = 0; i < count; i++) accepted.push({ index: i, ...one });
  } else {
    // One at a time: each frame's bytes are fetched, decoded and checked before the next is looked at.
    for (const [index, image] of images!.entries()) {
      try {
        const one = await checkCreateRequest({ ...base, image }, deps.imageFetch, deps.retiredModels);
        accepted.push({ index, ...one });
      } catch (e) {
        if (!(e instanceof StudioError) || e.status !== 400) throw e;
        refused.push({ index, error: e.toBody().error });
      }
    }
    if (!accepted.length) throw noFrameUsable(refused, images!.length);
  }

  const batchId = randomUUID();
  const size = count ?? images!.length;
  const now = deps.clock.now();
  const records = accepted.map((a) =>
    image2videoRecord(a.request, who.client, now, { id: batchId, index: a.index, size }),
  );
  await admitAndInsert(deps, records, who.peer);
  const imagesOf = new Map<string, CollectedImage[]>(records.map((r, i) => [r.id, accepted[i]!.images]));
  await storeInputs(deps, records, (r: TaskRecord) => imagesOf.get(r.id) ?? []);
  imagesOf.clear();
  const tasks = await enqueue(deps, records);
  deps.log.info('batch queued', { batchId, tasks: tasks.length, refused: refused.length });
  return { batchId, tasks, refused };
}

/**
 * Every frame was refused: a 400 naming each frame's problems. Issues about the start frame itself are
 * named by the frame (`images[i]`); issues of the shared request are the same for every frame, given once.
 */
function noFrameUsable(refused: BatchResponse['refused'], total: number): StudioError {
  const issues: Violation[] = [];
  const seen = new Set<string>();
  for (const { index, error } of refused) {
    for (const v of error.issues ?? [{ field: 'image', rule: error.code, message: error.message }]) {
      const own = v.field === 'image';
      const issue = own
        ? {
            field: `images[${index}]`,
            rule: v.rule,
            message: START_FRAME_LABEL.test(v.message)
              ? v.message.replace(START_FRAME_LABEL, frameLabel(index))
              : `${frameLabel(index)}: ${v.message}`,
          }
        : v;
      const key = `${issue.field}\0${issue.rule}\0${issue.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        issues.push(issue);
      }
    }
  }
  const error = validationError(
    issues,
    `None of the ${total} picture${total === 1 ? '' : 's'} can be used: ${issues[0]?.message ?? 'each was refused'}`,
  );
  return new StudioError(400, 'batch_refused', error.message, { issues });
}
