import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeList, makeTask } from '../testing/task-fixture.ts';
import { TASK_IDLE_POLL_MS, TASK_POLL_MS, taskKeys, taskQueries } from './task-queries.ts';

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
  it('applies the contract defaults, so equal lists share one key', () => {
    expect(taskQueries.list().queryKey).toEqual(taskKeys.list({ page: 1, pageSize: 20 }));
    expect(taskQueries.list({ page: 2, pageSize: 10, status: 'failed' }).queryKey).toEqual([
      'tasks',
      'list',
      { page: 2, pageSize: 10, status: 'failed' },
    ]);
  });

  it('fetches the page with its filter and parses it', async () => {
    const fetch = vi.fn(async (_url: string) => json(makeList([makeTask()])));
    vi.stubGlobal('fetch', fetch);
    const data = await new QueryClient().fetchQuery(
      taskQueries.list({ page: 3, pageSize: 5, status: 'succeed' }),
    );
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/tasks?page=3&pageSize=5&status=succeed');
    expect(data.tasks[0]?.id).toBe('task-1');
  });

  it('polls briskly while a task on the page runs, slowly when all are final, never when the stream is live', async () => {
    const running = makeList([makeTask({ status: 'processing' })]);
    const done = makeList([makeTask({ status: 'succeed' }), makeTask({ id: 'b', status: 'failed' })]);
    expect(await intervalFor(taskQueries.list(), running)).toBe(TASK_POLL_MS);
    expect(await intervalFor(taskQueries.list(), done)).toBe(TASK_IDLE_POLL_MS);
    expect(await intervalFor(taskQueries.list({}, { pollMs: false }), running)).toBe(false);
    expect(await intervalFor(taskQueries.list({}, { pollMs: false }), done)).toBe(false);
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
