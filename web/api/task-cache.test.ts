import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import type { StudioTask, TaskList } from '../../contract/schemas/studio-api.ts';
import { makeList, makeTask } from '../testing/task-fixture.ts';
import { applyTaskChange, movesQueue, QUEUE_REFRESH_MS, updateTaskList } from './task-cache.ts';
import { normalizeListParams, taskKeys, taskQueries } from './task-queries.ts';

const t = (id: string, createdAt: number, more: Partial<StudioTask> = {}) =>
  makeTask({ id, createdAt, updatedAt: createdAt, ...more });
const all = normalizeListParams({ pageSize: 3 });

describe('updateTaskList', () => {
  const page1 = makeList([t('c', 300), t('b', 200), t('a', 100)], { pageSize: 3, total: 5 });

  it('replaces a task in place, keeping the order and the other rows untouched', () => {
    const changed = t('b', 200, { status: 'processing', updatedAt: 250 });
    const update = updateTaskList(page1, all, changed);
    expect(update.kind).toBe('patched');
    if (update.kind !== 'patched') return;
    expect(update.list.tasks.map((x) => x.id)).toEqual(['c', 'b', 'a']);
    expect(update.list.tasks[1]).toBe(changed);
    // Unchanged rows keep their identity, so React skips them.
    expect(update.list.tasks[0]).toBe(page1.tasks[0]);
    expect(update.list.total).toBe(5);
  });

  it('ignores a snapshot older than the cached one (a late poll answer after an event)', () => {
    const cached = makeList([t('b', 200, { status: 'succeed', updatedAt: 900 })]);
    expect(updateTaskList(cached, all, t('b', 200, { status: 'processing', updatedAt: 500 }))).toEqual({
      kind: 'same',
    });
  });

  it('puts a new task on top of page 1, trims to the page size and counts it', () => {
    const update = updateTaskList(page1, all, t('d', 400));
    expect(update).toEqual({
      kind: 'patched',
      list: { ...page1, tasks: [t('d', 400), page1.tasks[0], page1.tasks[1]], total: 6 },
    });
  });

  it('puts the first task into an empty history', () => {
    const update = updateTaskList(makeList([], { pageSize: 3 }), all, t('a', 100));
    expect(update.kind === 'patched' && update.list).toMatchObject({ tasks: [{ id: 'a' }], total: 1 });
  });

  it('asks for a refetch when a new task shifts a later page', () => {
    const page2 = makeList([t('a', 100)], { page: 2, pageSize: 3, total: 4 });
    expect(updateTaskList(page2, normalizeListParams({ page: 2, pageSize: 3 }), t('d', 400)).kind).toBe(
      'refetch',
    );
  });

  it.each([
    ['a task leaves a status filter', 'processing', 'b', 'succeed', 'refetch'],
    ['a task enters a status filter on page 1', 'succeed', 'x', 'succeed', 'patched'],
    ['a task that does not match the filter', 'failed', 'x', 'succeed', 'same'],
  ] as const)('%s', (_, filter, id, status, expected) => {
    const list = makeList([t('b', 200, { status: 'processing' })], { pageSize: 3 });
    const params = normalizeListParams({ pageSize: 3, status: filter });
    expect(updateTaskList(list, params, t(id, id === 'x' ? 500 : 200, { status, updatedAt: 600 })).kind).toBe(
      expected,
    );
  });
});

describe('applyTaskChange', () => {
  it('updates the detail and every cached list, and refetches pages it cannot compute', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const p1 = normalizeListParams({ page: 1, pageSize: 3 });
    const p2 = normalizeListParams({ page: 2, pageSize: 3 });
    client.setQueryData(taskKeys.list(p1), makeList([t('b', 200)], { pageSize: 3, total: 4 }));
    client.setQueryData(taskKeys.list(p2), makeList([t('a', 100)], { page: 2, pageSize: 3, total: 4 }));

    const created = t('c', 300);
    applyTaskChange(client, created);

    expect(client.getQueryData(taskKeys.detail('c'))).toBe(created);
    expect(
      client.getQueryData<ReturnType<typeof makeList>>(taskKeys.list(p1))?.tasks.map((x) => x.id),
    ).toEqual(['c', 'b']);
    expect(client.getQueryState(taskKeys.list(p2))?.isInvalidated).toBe(true);
  });

  it('keeps a newer detail when an older snapshot arrives', () => {
    const client = new QueryClient();
    const newer = t('a', 100, { status: 'succeed', updatedAt: 900 });
    client.setQueryData(taskKeys.detail('a'), newer);
    applyTaskChange(client, t('a', 100, { status: 'processing', updatedAt: 400 }));
    expect(client.getQueryData(taskKeys.detail('a'))).toBe(newer);
  });
});

/**
 * A task shown as Succeeded stays Succeeded whatever arrives late: a duplicated or out-of-order event,
 * one stamped in the same millisecond or by a server whose clock stepped, or a poll answer that left
 * the server before the "succeed" event and lands after it. The backend never moves a task backwards
 * (server/routes/callbacks.test.ts), so any earlier status arriving after a final one is stale.
 */
describe('a late "processing" never overwrites "succeed"', () => {
  const succeeded = t('a', 100, {
    status: 'succeed',
    updatedAt: 900,
    finishedAt: 900,
    video: { url: '/api/tasks/a/video', duration: '5', bytes: 1000 },
  });
  const listKey = taskKeys.list(all);

  it.each([
    ['stamped earlier', 400],
    ['stamped in the same millisecond', 900],
    ['stamped later (a server clock that stepped)', 950],
  ])('an out-of-order event %s keeps the detail and the list row Succeeded', (_, updatedAt) => {
    const client = new QueryClient();
    client.setQueryData(taskKeys.detail('a'), succeeded);
    client.setQueryData(listKey, makeList([t('b', 200), succeeded], { pageSize: 3 }));

    for (const status of ['processing', 'submitted'] as const)
      applyTaskChange(client, t('a', 100, { status, updatedAt }));

    expect(client.getQueryData(taskKeys.detail('a'))).toBe(succeeded);
    expect(client.getQueryData<TaskList>(listKey)?.tasks[1]).toBe(succeeded);
    expect(client.getQueryState(listKey)?.isInvalidated).toBe(false);
  });

  it('a duplicate "succeed" event changes nothing, and a later one (the archived video) still applies', () => {
    const client = new QueryClient();
    const running = t('a', 100, { status: 'processing', updatedAt: 500 });
    client.setQueryData(taskKeys.detail('a'), running);
    const done = { ...succeeded, video: null, updatedAt: 800 };
    applyTaskChange(client, done);
    applyTaskChange(client, { ...done });
    applyTaskChange(client, running);
    expect(client.getQueryData<StudioTask>(taskKeys.detail('a'))).toMatchObject({ status: 'succeed' });
    applyTaskChange(client, succeeded);
    expect(client.getQueryData(taskKeys.detail('a'))).toEqual(succeeded);
  });

  it('a poll answer that crossed the "succeed" event does not overwrite it (detail and list)', async () => {
    const processing = t('a', 100, { status: 'processing', updatedAt: 500 });
    // The server answers the polls while the task is still processing; the answers arrive late.
    let answer: (() => void) | undefined;
    vi.stubGlobal(
      'fetch',
      vi.fn(
        (url: string) =>
          new Promise<Response>((resolve) => {
            const body = url.includes('?') ? makeList([processing], { pageSize: 3 }) : { task: processing };
            const prev = answer;
            answer = () => {
              prev?.();
              resolve(
                new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } }),
              );
            };
          }),
      ),
    );
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const detail = client.fetchQuery(taskQueries.detail('a'));
    const list = client.fetchQuery(taskQueries.list({ pageSize: 3 }));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(2));

    // The event lands first (both queries are already cached: the studio showed the task running).
    client.setQueryData(taskKeys.detail('a'), processing);
    client.setQueryData(listKey, makeList([processing], { pageSize: 3 }));
    applyTaskChange(client, succeeded);
    answer!();
    await Promise.all([detail, list]);

    expect(client.getQueryData<StudioTask>(taskKeys.detail('a'))).toEqual(succeeded);
    expect(client.getQueryData<TaskList>(listKey)?.tasks).toEqual([succeeded]);
    vi.unstubAllGlobals();
  });
});

/**
 * The studio announces only the task that changed; a queued task's place ("Queued · 3rd") moves when any
 * other task joins, leaves or is moved in the queue, or when one ends and frees a slot.
 */
describe('queue places', () => {
  const queued = (id: string, position: number) => t(id, 100, { status: 'queued', queue: { position } });

  it.each([
    ['a task joins the queue', queued('n', 4), undefined, true],
    ['a task is moved within it', queued('a', 1), queued('a', 3), true],
    ['a task is sent', t('a', 100, { status: 'submitted', updatedAt: 200 }), queued('a', 1), true],
    ['a task is cancelled', t('a', 100, { status: 'cancelled', updatedAt: 200 }), queued('a', 1), true],
    [
      'a task ends (its slot frees)',
      t('a', 100, { status: 'succeed' }),
      t('a', 100, { status: 'processing' }),
      true,
    ],
    ['a task seen ending the first time', t('a', 100, { status: 'failed' }), undefined, true],
    [
      'a running task moves on',
      t('a', 100, { status: 'processing' }),
      t('a', 100, { status: 'submitted' }),
      false,
    ],
    [
      'an ended task gets its video',
      t('a', 100, { status: 'succeed' }),
      t('a', 100, { status: 'succeed' }),
      false,
    ],
  ] as const)('%s: %s', (_, task, cached, expected) => {
    expect(movesQueue(task, cached)).toBe(expected);
  });

  it('reads again, once per burst of changes, the cached pages and tasks that show a queued task', () => {
    vi.useFakeTimers();
    try {
      const client = new QueryClient();
      const waiting = normalizeListParams({ page: 1, pageSize: 3 });
      // The Succeeded filter's page: nothing on it waits.
      const done = normalizeListParams({ page: 1, pageSize: 3, status: 'succeed' });
      client.setQueryData(
        taskKeys.list(waiting),
        makeList([queued('b', 2), queued('a', 1)], { pageSize: 3, total: 2 }),
      );
      client.setQueryData(
        taskKeys.list(done),
        makeList([t('z', 10, { status: 'succeed' })], { pageSize: 3 }),
      );
      client.setQueryData(taskKeys.detail('b'), queued('b', 2));
      client.setQueryData(taskKeys.detail('z'), t('z', 10, { status: 'succeed' }));
      const spy = vi.spyOn(client, 'invalidateQueries');
      // Only the queue's refresh: a change to a task off a later page refetches that page as before.
      const refreshes = () => spy.mock.calls.filter(([filters]) => filters?.predicate).length;

      // a is sent, then b is told its new place: two events, one refresh.
      applyTaskChange(client, t('a', 100, { status: 'submitted', updatedAt: 200 }));
      applyTaskChange(client, queued('b', 1));
      expect(refreshes()).toBe(0);
      vi.advanceTimersByTime(QUEUE_REFRESH_MS);
      expect(refreshes()).toBe(1);
      expect(client.getQueryState(taskKeys.list(waiting))?.isInvalidated).toBe(true);
      expect(client.getQueryState(taskKeys.detail('b'))?.isInvalidated).toBe(true);
      expect(client.getQueryState(taskKeys.list(done))?.isInvalidated).toBe(false);
      expect(client.getQueryState(taskKeys.detail('z'))?.isInvalidated).toBe(false);

      // A change that moves no place sets off nothing.
      applyTaskChange(client, t('z', 10, { status: 'succeed', updatedAt: 20 }));
      vi.advanceTimersByTime(QUEUE_REFRESH_MS * 2);
      expect(refreshes()).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
