import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import type { MotionControlRequest } from '../../contract/schemas/motion-control-request.ts';
import { newTaskState, type TaskRecord } from '../tasks/task-record.ts';

/**
 * What a test sets on top of the builder's record. `kind` and `request` go together, as in TaskRecord, so a
 * motion-control record cannot be asked for with an image2video request by accident (a test that means to
 * mix them says so with a cast).
 */
export type TaskRecordOverrides = Partial<Omit<TaskRecord, 'kind' | 'request'>> &
  (
    | { kind?: 'image2video'; request?: CreateRequest }
    | { kind: 'motion-control'; request: MotionControlRequest }
  );

/**
 * A whole TaskRecord for tests: what a create stores (`newTaskState`, so a field added there reaches every
 * test's records) for a plain 5 s std image2video, plus the test's overrides. Its times start at
 * `overrides.createdAt` (now when not given) so a test that fixes one time gets a record without a stray
 * `Date.now()` in it.
 */
export function taskRecord(id: string, overrides: TaskRecordOverrides = {}): TaskRecord {
  return {
    id,
    kind: 'image2video',
    externalTaskId: `ext-${id}`,
    ...newTaskState(overrides.createdAt ?? Date.now()),
    model: 'kling-v2-6',
    mode: 'std',
    duration: '5',
    motion: 'none',
    prompt: '',
    callbackTokenHash: null,
    request: { model_name: 'kling-v2-6', image: 'input:image' },
    clientId: null,
    priceUnits: null,
    ...overrides,
  };
}

/**
 * A task Kling has taken and acknowledged, as the tracker polls it: `processing` under its Kling id
 * (`k-<id>`), sent and confirmed when it was created.
 */
export function acceptedTaskRecord(id: string, overrides: TaskRecordOverrides = {}): TaskRecord {
  const createdAt = overrides.createdAt ?? Date.now();
  return taskRecord(id, {
    status: 'processing',
    klingTaskId: `k-${id}`,
    sentAt: createdAt,
    confirmedAt: createdAt,
    ...overrides,
    createdAt,
  });
}
