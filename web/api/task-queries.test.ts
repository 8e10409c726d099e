import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeHistory, makeList, makeTask } from '../testing/task-fixture.ts';
import { historyTasks, TASK_IDLE_POLL_MS, TASK_POLL_MS, taskKeys, taskQueries } from './task-queries.ts';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** Resolves a refetchInterval option the way an observer would, for a given cached value. */
async function intervalFor<T>(options: { queryKey: readonly unknown[] }, data: T): Promise<unknown> {
  const client = new QueryClient();
  client.setQueryData(options.queryKey, data);
  const query = client.getQueryCache().find({ queryKey: options.queryKey });
  const interval = (options as { refetchInterval?: unknown }).refetchInterval;
  return typeof interval === 'function' ? interval(query) : interval;
}

afterEach(() => vi.unstubAllGlobals());

describe('taskQueries.list', () => {
  it('applies the contract defaults, so equal lists share one key (without a cursor: pages are its own)', () => {
    expect(taskQueries.list().queryKey).toEqual(taskKeys.list({ pageSize: 20 }));
    expect(taskQueries.list({ pageSize: 10, status: 'failed' }).queryKey).toEqual([
      'tasks',
      'list',
      { pageSize: 10, status: 'failed' },
    ]);
  });

  it('reads the first page with its filter, then the next by the cursor the page before it gave', async () => {
    const fetch = vi.fn(async (url: string) =>
      json(
        url.includes('cursor=')
          ? makeList([makeTask({ id: 'older' })], { pageSize: 5 })
          : makeList([makeTask()], { pageSize: 5, nextCursor: '1760000000000.7' }),
      ),
    );
    vi.stubGlobal('fetch', fetch);
    const history = await new QueryClient().fetchInfiniteQuery({
      ...taskQueries.list({ pageSize: 5, status: 'succeed' }),
      pages: 3,
    });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      '/api/tasks?pageSize=5&status=succeed',
      '/api/tasks?pageSize=5&status=succeed&cursor=1760000000000.7',
    ]);
    // The second page said it was the last: no third read.
    expect(historyTasks(history).map((t) => t.id)).toEqual(['task-1', 'older']);
    expect(history.pageParams).toEqual([null, '1760000000000.7']);
  });

  it('polls briskly while a loaded task runs, slowly when all are final, never when the stream is live', async () => {
    const running = makeHistory(
      makeList([makeTask({ status: 'succeed' })], { nextCursor: '1.1' }),
      makeList([makeTask({ id: 'b', status: 'processing' })]),
    );
    const done = makeHistory(
      makeList([makeTask({ status: 'succeed' }), makeTask({ id: 'b', status: 'failed' })]),
    );
    expect(await intervalFor(taskQueries.list(), running)).toBe(TASK_POLL_MS);
    expect(await intervalFor(taskQueries.list(), done)).toBe(TASK_IDLE_POLL_MS);
    expect(await intervalFor(taskQueries.list({}, { pollMs: false }), running)).toBe(false);
    expect(await intervalFor(taskQueries.list({}, { pollMs: false }), done)).toBe(false);
  });
});

describe('historyTasks', () => {
  it('joins the pages newest first, a task at two pages’ seam once', () => {
    const a = makeTask({ id: 'a' });
    const b = makeTask({ id: 'b' });
    const c = makeTask({ id: 'c' });
    expect(
      historyTasks(makeHistory(makeList([a, b], { nextCursor: '1.2' }), makeList([b, c]))).map((t) => t.id),
    ).toEqual(['a', 'b', 'c']);
    expect(historyTasks(undefined)).toEqual([]);
  });
});

describe('taskQueries.detail', () => {
  it.each([
    ['submitted', TASK_POLL_MS],
    ['processing', TASK_POLL_MS],
    ['succeed', false],
    ['failed', false],
  ] as const)('a %s task → refetchInterval %s', async (status, expected) => {
    expect(await intervalFor(taskQueries.detail('task-1'), makeTask({ status }))).toBe(expected);
  });

  it('unwraps the envelope', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json({ task: makeTask({ id: 'x/y' }) })),
    );
    const task = await new QueryClient().fetchQuery(taskQueries.detail('x/y'));
    expect(task.id).toBe('x/y');
    expect(vi.mocked(fetch).mock.calls[0]?.[0]).toBe('/api/tasks/x%2Fy');
  });

  it('stops polling a task the server cannot find', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json({ error: { code: 'not_found', message: 'No such task' } }, 404)),
    );
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const observer = new QueryObserver(client, taskQueries.detail('gone'));
    const unsubscribe = observer.subscribe(() => {});
    await vi.waitFor(() => expect(observer.getCurrentResult().isError).toBe(true));
    expect(observer.getCurrentResult().error?.message).toBe('No such task');
    const interval = taskQueries.detail('gone').refetchInterval as (query: unknown) => unknown;
    expect(interval(client.getQueryCache().find({ queryKey: taskKeys.detail('gone') }))).toBe(false);
    unsubscribe();
  });
});
