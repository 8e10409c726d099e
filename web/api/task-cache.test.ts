import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import { makeHistory, makeList, makeTask } from '../testing/task-fixture.ts';
import {
  applyTaskChange,
  type HistoryUpdate,
  movesQueue,
  QUEUE_REFRESH_MS,
  updateHistory,
} from './task-cache.ts';
import { normalizeListParams, type TaskHistory, taskKeys, taskQueries } from './task-queries.ts';

const t = (id: string, createdAt: number, more: Partial<StudioTask> = {}) =>
  makeTask({ id, createdAt, updatedAt: createdAt, ...more });
const all = normalizeListParams({ pageSize: 3 });

const ids = (h: TaskHistory | undefined) => h?.pages.map((p) => p.tasks.map((x) => x.id));

describe('updateHistory', () => {
  // Two pages of three read; more on the server.
  const history = makeHistory(
    makeList([t('f', 600), t('e', 500), t('d', 400)], { pageSize: 3, nextCursor: '400.4' }),
    makeList([t('c', 300), t('b', 200), t('a', 100)], { pageSize: 3, nextCursor: '100.1' }),
  );
  const patched = (update: HistoryUpdate) => (update.kind === 'patched' ? update.history : undefined);

  it('replaces a task in place, keeping the order and the other rows and pages untouched', () => {
    const changed = t('b', 200, { status: 'processing', updatedAt: 250 });
    const next = patched(updateHistory(history, all, changed));
    expect(ids(next)).toEqual([
      ['f', 'e', 'd'],
      ['c', 'b', 'a'],
    ]);
    expect(next?.pages[1]?.tasks[1]).toBe(changed);
    // Unchanged rows and pages keep their identity, so React skips them; the cursors stay.
    expect(next?.pages[0]).toBe(history.pages[0]);
    expect(next?.pages[1]?.tasks[0]).toBe(history.pages[1]!.tasks[0]);
    expect(next?.pages.map((p) => p.nextCursor)).toEqual(['400.4', '100.1']);
    expect(next?.pageParams).toBe(history.pageParams);
  });

  it('ignores a snapshot older than the cached one (a late poll answer after an event)', () => {
    const cached = makeHistory(makeList([t('b', 200, { status: 'succeed', updatedAt: 900 })]));
    expect(updateHistory(cached, all, t('b', 200, { status: 'processing', updatedAt: 500 }))).toEqual({
      kind: 'same',
    });
  });

  it('puts a new task on top of the first page, which grows: the next page’s cursor still follows it', () => {
    const next = patched(updateHistory(history, all, t('g', 700)));
    expect(ids(next)).toEqual([
      ['g', 'f', 'e', 'd'],
      ['c', 'b', 'a'],
    ]);
    expect(next?.pages[0]?.nextCursor).toBe('400.4');
  });

  it('puts the first task into an empty history', () => {
    const empty = makeHistory(makeList([], { pageSize: 3 }));
    expect(ids(patched(updateHistory(empty, all, t('a', 100))))).toEqual([['a']]);
  });

  it('takes a task out of a status filter it left; the rows below close up, no page is read again', () => {
    const running = normalizeListParams({ pageSize: 3, status: 'processing' });
    const filtered = makeHistory(
      makeList([t('c', 300, { status: 'processing' }), t('b', 200, { status: 'processing' })], {
        pageSize: 3,
        nextCursor: '200.2',
      }),
    );
    const next = patched(
      updateHistory(filtered, running, t('c', 300, { status: 'succeed', updatedAt: 900 })),
    );
    expect(ids(next)).toEqual([['b']]);
    expect(next?.pages[0]?.nextCursor).toBe('200.2');
  });

  it('puts a task entering a status filter among the loaded ones by its creation time', () => {
    const done = normalizeListParams({ pageSize: 3, status: 'succeed' });
    const filtered = makeHistory(
      makeList([t('f', 600, { status: 'succeed' }), t('d', 400, { status: 'succeed' })], {
        nextCursor: '400.4',
      }),
      makeList([t('b', 200, { status: 'succeed' })], { nextCursor: '200.2' }),
    );
    const entering = (id: string, at: number) => t(id, at, { status: 'succeed', updatedAt: 900 });
    expect(ids(patched(updateHistory(filtered, done, entering('e', 500))))).toEqual([['f', 'e', 'd'], ['b']]);
    // Between two pages: at the top of the later one (it is older than the cursor the page was read by).
    expect(ids(patched(updateHistory(filtered, done, entering('c', 300))))).toEqual([
      ['f', 'd'],
      ['c', 'b'],
    ]);
    // Older than everything loaded, with more on the server: it comes with the page it belongs to.
    expect(updateHistory(filtered, done, entering('a', 100))).toEqual({ kind: 'same' });
    // ...unless the history is read to its end.
    const whole = makeHistory(makeList([t('b', 200, { status: 'succeed' })]));
    expect(ids(patched(updateHistory(whole, done, entering('a', 100))))).toEqual([['b', 'a']]);
  });

  it('leaves a status-filtered history alone for a task that does not match it', () => {
    const failed = normalizeListParams({ pageSize: 3, status: 'failed' });
    expect(updateHistory(history, failed, t('x', 900, { status: 'succeed' }))).toEqual({ kind: 'same' });
  });
});

describe('applyTaskChange', () => {
  it('updates the detail and every cached history without reading anything again', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const everything = normalizeListParams({ pageSize: 3 });
    const succeeded = normalizeListParams({ pageSize: 3, status: 'succeed' });
    client.setQueryData(
      taskKeys.list(everything),
      makeHistory(makeList([t('b', 200)], { pageSize: 3, nextCursor: '200.2' }), makeList([t('a', 100)])),
    );
    client.setQueryData(taskKeys.list(succeeded), makeHistory(makeList([], { pageSize: 3 })));

    const created = t('c', 300);
    applyTaskChange(client, created);

    expect(client.getQueryData(taskKeys.detail('c'))).toBe(created);
    expect(ids(client.getQueryData<TaskHistory>(taskKeys.list(everything)))).toEqual([['c', 'b'], ['a']]);
    expect(ids(client.getQueryData<TaskHistory>(taskKeys.list(succeeded)))).toEqual([[]]);
    expect(client.getQueryState(taskKeys.list(everything))?.isInvalidated).toBe(false);
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
    client.setQueryData(listKey, makeHistory(makeList([t('b', 200), succeeded], { pageSize: 3 })));

    for (const status of ['processing', 'submitted'] as const)
      applyTaskChange(client, t('a', 100, { status, updatedAt }));

    expect(client.getQueryData(taskKeys.detail('a'))).toBe(succeeded);
    expect(client.getQueryData<TaskHistory>(listKey)?.pages[0]?.tasks[1]).toBe(succeeded);
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
    const list = client.fetchInfiniteQuery(taskQueries.list({ pageSize: 3 }));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(2));

    // The event lands first (both queries are already cached: the studio showed the task running).
    client.setQueryData(taskKeys.detail('a'), processing);
    client.setQueryData(listKey, makeHistory(makeList([processing], { pageSize: 3 })));
    applyTaskChange(client, succeeded);
    answer!();
    await Promise.all([detail, list]);

    expect(client.getQueryData<StudioTask>(taskKeys.detail('a'))).toEqual(succeeded);
    expect(client.getQueryData<TaskHistory>(listKey)?.pages[0]?.tasks).toEqual([succeeded]);
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

  it('reads again, once per burst of changes, the cached histories and tasks that show a queued task', () => {
    vi.useFakeTimers();
    try {
      const client = new QueryClient();
      const waiting = normalizeListParams({ pageSize: 3 });
      // The Succeeded filter's history: nothing in it waits.
      const done = normalizeListParams({ pageSize: 3, status: 'succeed' });
      client.setQueryData(taskKeys.list(waiting), makeHistory(makeList([queued('b', 2), queued('a', 1)])));
      client.setQueryData(taskKeys.list(done), makeHistory(makeList([t('z', 10, { status: 'succeed' })])));
      client.setQueryData(taskKeys.detail('b'), queued('b', 2));
      client.setQueryData(taskKeys.detail('z'), t('z', 10, { status: 'succeed' }));
      const spy = vi.spyOn(client, 'invalidateQueries');
      // Only the queue's refresh asks for reads (every other change is folded in).
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
