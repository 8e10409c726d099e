import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import { stubTasksApi } from '../testing/render.tsx';
import { makeHistory, makeList, makeTask } from '../testing/task-fixture.ts';
import { useCreateTask } from './create-task.ts';
import { normalizeListParams, type TaskHistory, taskKeys } from './task-queries.ts';

afterEach(() => vi.unstubAllGlobals());

describe('useCreateTask', () => {
  it('posts the request it is given and puts the created task into the cache at once', async () => {
    const created = makeTask({ id: 'new-1', createdAt: 2_000_000_000_000 });
    const api = stubTasksApi({ status: 201, body: { task: created } });
    vi.stubGlobal('fetch', api.fetch);
    const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
    const firstPage = taskKeys.list(normalizeListParams({}));
    client.setQueryData(firstPage, makeHistory(makeList([makeTask({ id: 'old', createdAt: 1 })])));
    const onCreated = vi.fn();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    );
    const { result } = renderHook(
      () => useCreateTask({ toRequest: (r: CreateRequest) => ({ ...r, prompt: 'built' }), onCreated }),
      { wrapper },
    );

    act(() => result.current.mutate({ model_name: 'kling-v1' }));
    await waitFor(() => expect(result.current.isSuccess).toBe(true));

    expect(api.bodies).toEqual([{ model_name: 'kling-v1', prompt: 'built' }]);
    expect(onCreated).toHaveBeenCalledWith(created);
    expect(client.getQueryData(taskKeys.detail('new-1'))).toEqual(created);
    expect(client.getQueryData<TaskHistory>(firstPage)?.pages[0]?.tasks.map((t) => t.id)).toEqual([
      'new-1',
      'old',
    ]);
  });
});
