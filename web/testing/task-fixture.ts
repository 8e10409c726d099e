import type { StudioTask, TaskList } from '../../contract/schemas/studio-api.ts';
import type { TaskHistory } from '../api/task-queries.ts';

/** A valid StudioTask for tests; override what the test is about. */
export function makeTask(overrides: Partial<StudioTask> = {}): StudioTask {
  const createdAt = overrides.createdAt ?? 1_760_000_000_000;
  return {
    id: 'task-1',
    kind: 'image2video',
    shots: null,
    price: null,
    externalTaskId: 'studio-ext-1',
    klingTaskId: null,
    status: 'submitted',
    statusMessage: null,
    model: 'kling-v1',
    mode: 'std',
    duration: '5',
    motion: 'camera',
    prompt: 'a cat walks along the beach',
    units: null,
    createdAt,
    updatedAt: createdAt,
    finishedAt: null,
    video: null,
    thumbnailUrl: null,
    posterUrl: null,
    ...overrides,
  };
}

/** One page of `GET /api/tasks` (the last, unless `nextCursor` says otherwise). */
export function makeList(tasks: StudioTask[], overrides: Partial<TaskList> = {}): TaskList {
  return { tasks, pageSize: 10, nextCursor: null, ...overrides };
}

/** A cached history (a list query's data): these pages, each read with the cursor of the one before. */
export function makeHistory(...pages: TaskList[]): TaskHistory {
  return { pages, pageParams: pages.map((_, i) => (i === 0 ? null : pages[i - 1]!.nextCursor)) };
}
