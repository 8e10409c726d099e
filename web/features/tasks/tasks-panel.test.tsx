import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { applyTaskChange } from '../../api/task-cache.ts';
import { taskKeys } from '../../api/task-queries.ts';
import { makeList, makeTask } from '../../testing/task-fixture.ts';
import { TasksPanel } from './tasks-panel.tsx';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** Serves GET /api/tasks from a list the test controls; jsdom has no EventSource, so the panel polls. */
function serve(tasks: () => StudioTask[] | Response) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const t = tasks();
      if (t instanceof Response) return t;
      if (url.startsWith('/api/tasks?')) return json(makeList(t));
      const task = t.find((x) => url === `/api/tasks/${x.id}`);
      return task ? json({ task }) : json({ error: { code: 'not_found', message: 'No such task' } }, 404);
    }),
  );
}

function renderPanel() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <TasksPanel remixInto={async () => {}} />
    </QueryClientProvider>,
  );
  return { client, region: () => screen.getByRole('region', { name: 'Tasks' }) };
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('TasksPanel', () => {
  it('lists tasks newest first with their status, settings and motion', async () => {
    serve(() => [
      makeTask({ id: 'b', prompt: 'second', status: 'processing', createdAt: 2000 }),
      makeTask({
        id: 'a',
        prompt: 'first',
        status: 'succeed',
        motion: 'brush',
        createdAt: 1000,
        finishedAt: 9000,
      }),
    ]);
    const { region } = renderPanel();
    const rows = await within(region()).findAllByRole('listitem');
    expect(rows.map((r) => within(r).getByRole('button').textContent)).toEqual(['second', 'first']);
    expect(within(rows[0]!).getByText('Processing')).toBeTruthy();
    expect(within(rows[0]!).getByRole('progressbar')).toBeTruthy();
    expect(within(rows[1]!).getByText('Succeeded')).toBeTruthy();
    expect(within(rows[1]!).getByText(/Kling 1\.0 · std · 5 s · Motion brush/)).toBeTruthy();
  });

  it('shows a storyboard task with its length and shots, 4k, and a Legacy badge only on legacy models', async () => {
    serve(() => [
      makeTask({
        id: 'v3',
        prompt: 'storyboard',
        model: 'kling-v3',
        mode: '4k',
        duration: '12',
        shots: 3,
        motion: 'none',
        createdAt: 2000,
      }),
      makeTask({ id: 'v1', prompt: 'old model', createdAt: 1000 }),
    ]);
    const { region } = renderPanel();
    const rows = await within(region()).findAllByRole('listitem');
    expect(within(rows[0]!).getByText(/Kling 3\.0 · 4k · 12 s · 3 shots · Image only/)).toBeTruthy();
    expect(within(rows[0]!).queryByText('Legacy')).toBeNull();
    const badge = within(rows[1]!).getByText('Legacy');
    expect(badge.getAttribute('title')).toBe(
      'kling-v1: reported retired on 2026-09-15; may fail on your account',
    );

    fireEvent.click(within(rows[0]!).getByRole('button', { name: 'storyboard' }));
    const detail = within(region()).getByRole('article');
    expect(within(detail).getByText(/Kling 3\.0 · 4k · 12 s · 3 shots · Image only/)).toBeTruthy();
  });

  it('says what to do when there is no history yet', async () => {
    serve(() => []);
    const { region } = renderPanel();
    expect(await within(region()).findByText(/No videos yet/)).toBeTruthy();
    expect(within(region()).getByText(/press Generate/)).toBeTruthy();
  });

  it('says what went wrong and offers a retry when the list cannot load', async () => {
    serve(() => json({ error: { code: 'internal', message: 'Database is locked' } }, 500));
    const { region } = renderPanel();
    const alert = await within(region()).findByRole('alert');
    expect(alert.textContent).toMatch(/Database is locked/);
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeTruthy();
  });

  it('updates a row in place from a task event, without a refetch', async () => {
    const task = makeTask({ id: 'live', prompt: 'live one', status: 'submitted' });
    serve(() => [task]);
    const { client, region } = renderPanel();
    const row = await within(region()).findByRole('listitem');
    const calls = vi.mocked(fetch).mock.calls.length;
    act(() => applyTaskChange(client, { ...task, status: 'succeed', updatedAt: task.updatedAt + 1 }));
    // TanStack batches cache notifications onto the next tick, hence find (not get).
    expect(await within(row).findByText('Succeeded')).toBeTruthy();
    // Same DOM node: the row was patched, not re-mounted.
    expect(within(region()).getByRole('listitem')).toBe(row);
    expect(vi.mocked(fetch).mock.calls.length).toBe(calls);
  });

  it('opens a failed task with Kling’s message and what to change', async () => {
    serve(() => [
      makeTask({
        id: 'f',
        prompt: 'doomed',
        status: 'failed',
        statusMessage: 'Kling could not make this video: Failure to pass the risk control system',
        finishedAt: 1_760_000_005_000,
      }),
    ]);
    const { region } = renderPanel();
    fireEvent.click(await within(region()).findByRole('button', { name: 'doomed' }));
    const detail = within(region()).getByRole('article');
    expect(within(detail).getByText(/Failure to pass the risk control system/)).toBeTruthy();
    expect(within(detail).getByText(/content check refused/)).toBeTruthy();
    expect(within(detail).getByText(/What to change:/).parentElement?.textContent).toMatch(
      /another start frame/,
    );
    expect(within(detail).getByRole('button', { name: 'Remix' })).toBeTruthy();
    expect(within(detail).getByRole('button', { name: 'Generate again' })).toBeTruthy();
    // No video, so nothing to download.
    expect(within(detail).queryByRole('button', { name: 'Download' })).toBeNull();
  });

  it('shows a finished video with a Download button', async () => {
    serve(() => [
      makeTask({
        id: 'ok123456789',
        prompt: 'sunset pan',
        status: 'succeed',
        finishedAt: 1_760_000_005_000,
        units: '1',
        video: { url: '/api/tasks/ok123456789/video', duration: '5.1', bytes: 2_000_000 },
        thumbnailUrl: '/api/tasks/ok123456789/thumbnail',
      }),
    ]);
    const { region } = renderPanel();
    fireEvent.click(await within(region()).findByRole('button', { name: 'sunset pan' }));
    const detail = within(region()).getByRole('article');
    const video = detail.querySelector('video');
    expect(video?.getAttribute('src')).toBe('/api/tasks/ok123456789/video');
    expect(video?.getAttribute('poster')).toBe('/api/tasks/ok123456789/thumbnail');
    expect(video?.loop).toBe(true);
    expect(video?.controls).toBe(true);
    const download = within(detail).getByRole('button', { name: 'Download' });
    expect(download.getAttribute('href')).toBe('/api/tasks/ok123456789/video?download=1');
    expect(download.hasAttribute('download')).toBe(true);
    expect(within(detail).getByText('ok123456789')).toBeTruthy();
    expect(within(detail).getByText('studio-ext-1')).toBeTruthy();
  });
});

describe('TasksPanel with lastCreatedId', () => {
  it('opens the task the composer just created', async () => {
    const created = makeTask({ id: 'new', prompt: 'fresh one' });
    serve(() => [created]);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const ui = (id: string | null) => (
      <QueryClientProvider client={client}>
        <TasksPanel lastCreatedId={id} remixInto={async () => {}} />
      </QueryClientProvider>
    );
    const { rerender } = render(ui(null));
    const region = screen.getByRole('region', { name: 'Tasks' });
    await within(region).findByRole('listitem');
    expect(within(region).queryByRole('article')).toBeNull();
    rerender(ui('new'));
    const detail = await within(region).findByRole('article');
    expect(within(detail).getByRole('heading').textContent).toBe('fresh one');
  });
});

describe('TaskActions', () => {
  const done = makeTask({
    id: 'done',
    prompt: 'a done one',
    status: 'succeed',
    finishedAt: 1_760_000_005_000,
  });
  const inputs = {
    kind: 'image2video',
    request: { model_name: 'kling-v1', prompt: 'a done one', external_task_id: 'ms-old' },
    images: {},
  } as const;
  const created = makeTask({ id: 'again', prompt: 'a done one', externalTaskId: 'ms-new' });

  /** GET list/detail/inputs and POST /api/tasks, recording what was posted. */
  function serveActions(posted: unknown[]) {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (url === '/api/tasks' && init?.method === 'POST') {
          posted.push(JSON.parse(String(init.body)));
          return json({ task: created }, 201);
        }
        if (url.startsWith('/api/tasks?')) return json(makeList([done]));
        if (url === '/api/tasks/done/inputs') return json(inputs);
        if (url === '/api/tasks/done') return json({ task: done });
        if (url === '/api/tasks/again') return json({ task: created });
        return json({ error: { code: 'not_found', message: 'No such task' } }, 404);
      }),
    );
  }

  function renderWith(remixInto: (i: unknown) => Promise<void>) {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <TasksPanel remixInto={remixInto} />
      </QueryClientProvider>,
    );
    return { client, region: screen.getByRole('region', { name: 'Tasks' }) };
  }

  it('Remix hands the task’s stored inputs to what the app injected', async () => {
    serveActions([]);
    const remixInto = vi.fn(async () => {});
    const { region } = renderWith(remixInto);
    fireEvent.click(await within(region).findByRole('button', { name: 'a done one' }));
    fireEvent.click(within(region).getByRole('button', { name: 'Remix' }));
    expect(await within(region).findByText(/Loaded into the composer/)).toBeTruthy();
    expect(remixInto).toHaveBeenCalledWith(inputs);
  });

  it('closes the detail from its header, and compares two finished videos in a dialog that closes too', async () => {
    const other = makeTask({
      id: 'done2',
      prompt: 'another one',
      status: 'succeed',
      finishedAt: 1_760_000_006_000,
    });
    const video = (id: string) => ({ url: `/api/tasks/${id}/video`, duration: '5', bytes: 1 });
    const a = { ...done, video: video('done') };
    const b = { ...other, video: video('done2') };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url.startsWith('/api/tasks?')) return json(makeList([a, b]));
        const task = [a, b].find((t) => url === `/api/tasks/${t.id}`);
        return task ? json({ task }) : json({ error: { code: 'not_found', message: 'No such task' } }, 404);
      }),
    );
    const { region } = renderWith(async () => {});
    fireEvent.click(await within(region).findByRole('button', { name: 'a done one' }));
    const detail = within(region).getByRole('article');
    expect(within(detail).getByRole('heading').textContent).toBe('a done one');
    expect(within(detail).getByText('Succeeded')).toBeTruthy();
    fireEvent.click(within(detail).getByRole('button', { name: 'Close task details' }));
    expect(within(region).queryByRole('article')).toBeNull();

    for (const box of within(region).getAllByRole('checkbox')) fireEvent.click(box);
    fireEvent.click(within(region).getByRole('button', { name: 'Compare' }));
    const dialog = await screen.findByRole('dialog', { name: 'Compare' });
    const close = within(dialog).getByRole('button', { name: 'Close comparison' });
    expect(document.activeElement).toBe(close);
    fireEvent.click(close);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Generate again posts the stored request under a new ms- id and puts the new task in the cache', async () => {
    const posted: unknown[] = [];
    serveActions(posted);
    const { client, region } = renderWith(async () => {});
    fireEvent.click(await within(region).findByRole('button', { name: 'a done one' }));
    fireEvent.click(within(region).getByRole('button', { name: 'Generate again' }));
    // The detail switches to the task just made.
    expect(await within(region).findByText('ms-new')).toBeTruthy();
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ model_name: 'kling-v1', prompt: 'a done one' });
    expect((posted[0] as { external_task_id: string }).external_task_id).toMatch(/^ms-[0-9a-f-]{36}$/);
    expect(client.getQueryData(taskKeys.detail('again'))).toMatchObject({ id: 'again' });
  });
});
