import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { applyTaskChange } from '../../api/task-cache.ts';
import { taskKeys } from '../../api/task-queries.ts';
import { makeList, makeTask } from '../../testing/task-fixture.ts';
import { TasksPanel } from './tasks-panel.tsx';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/**
 * GET /api/tasks?pageSize&status&cursor (by keyset, as the server pages: here the cursor carries the offset
 * of the next page) and GET /api/tasks/:id, from a list the test controls.
 */
function serve(tasks: (url: string) => StudioTask[] | Response, seen: string[] = []) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      seen.push(url);
      const t = tasks(url);
      if (t instanceof Response) return t;
      if (url.startsWith('/api/tasks?')) {
        const q = new URLSearchParams(url.split('?')[1]);
        const from = Number(q.get('cursor')?.split('.')[1] ?? 0);
        const size = Number(q.get('pageSize'));
        const status = q.get('status');
        const all = status ? t.filter((x) => x.status === status) : t;
        const to = from + size;
        return json(
          makeList(all.slice(from, to), { pageSize: size, nextCursor: to < all.length ? `0.${to}` : null }),
        );
      }
      const task = t.find((x) => url === `/api/tasks/${x.id}`);
      return task ? json({ task }) : json({ error: { code: 'not_found', message: 'No such task' } }, 404);
    }),
  );
  return seen;
}

function renderPanel(remixInto = async () => {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const ui = (lastCreatedId: string | null = null) => (
    <QueryClientProvider client={client}>
      <TasksPanel lastCreatedId={lastCreatedId} remixInto={remixInto} />
    </QueryClientProvider>
  );
  const r = render(ui());
  return {
    client,
    region: () => screen.getByRole('region', { name: 'Tasks' }),
    rerender: (id: string | null) => r.rerender(ui(id)),
  };
}

const card = (region: HTMLElement, prompt: string) =>
  within(region)
    .getAllByRole('listitem')
    .find((li) => li.textContent?.includes(prompt))!;
const result = () => screen.getByRole('dialog', { name: 'Result' });
const done = (id: string, prompt: string, extra: Partial<StudioTask> = {}) =>
  makeTask({
    id,
    prompt,
    status: 'succeed',
    finishedAt: 1_760_000_005_000,
    video: { url: `/api/tasks/${id}/video`, duration: '5', bytes: 1 },
    posterUrl: `/api/tasks/${id}/poster`,
    thumbnailUrl: `/api/tasks/${id}/thumbnail`,
    ...extra,
  });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the gallery', () => {
  it('shows each task as a card, newest first, with status, setup and cost in creator words', async () => {
    serve(() => [
      makeTask({ id: 'b', prompt: 'second', status: 'processing', createdAt: 2000 }),
      done('a', 'first', {
        motion: 'brush',
        createdAt: 1000,
        units: '1',
        price: { units: 1, basis: '5 s × 0.2' },
      }),
    ]);
    const { region } = renderPanel();
    const cards = await within(region()).findAllByRole('listitem');
    expect(cards.map((c) => within(c).getAllByRole('button')[0]!.textContent)).toEqual(['second', 'first']);
    expect(cards.map((c) => c.getAttribute('aria-setsize'))).toEqual(['2', '2']);
    expect(within(cards[0]!).getAllByText('Processing').length).toBeGreaterThan(0);
    expect(within(cards[0]!).getByRole('progressbar')).toBeTruthy();
    expect(within(cards[1]!).getByText('Succeeded')).toBeTruthy();
    expect(within(cards[1]!).getByText(/Kling 1\.0 · Standard · 5 s · Motion brush · 1 unit$/)).toBeTruthy();
    // The result's own frame, not the input still; the running one has only its input still.
    expect(cards[1]!.querySelector('img')?.getAttribute('src')).toBe('/api/tasks/a/poster');
    // Only finished videos can be picked.
    expect(within(cards[0]!).queryByRole('checkbox')).toBeNull();
    expect(within(cards[1]!).getByRole('checkbox', { name: 'Pick first' })).toBeTruthy();
  });

  it('falls back to the start frame when the poster cannot load', async () => {
    serve(() => [done('a', 'first')]);
    const { region } = renderPanel();
    const img = (await within(region()).findByRole('listitem')).querySelector('img')!;
    fireEvent.error(img);
    expect(card(region(), 'first').querySelector('img')?.getAttribute('src')).toBe('/api/tasks/a/thumbnail');
  });

  it('shows a storyboard task with 4K, its shots, and a Legacy badge only on legacy models', async () => {
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
    const cards = await within(region()).findAllByRole('listitem');
    expect(within(cards[0]!).getByText(/Kling 3\.0 · 4K · 12 s · 3 shots · Image only/)).toBeTruthy();
    expect(within(cards[0]!).queryByText('Legacy')).toBeNull();
    expect(within(cards[1]!).getByText('Legacy').getAttribute('title')).toBe(
      'kling-v1: reported retired on 2026-09-15; may fail on your account',
    );
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

  it('filters by status, and offers all tasks back when none match', async () => {
    serve(() => [makeTask({ id: 'r', prompt: 'running', status: 'processing' })]);
    const { region } = renderPanel();
    await within(region()).findByRole('listitem');
    fireEvent.change(within(region()).getByLabelText('Filter by status'), { target: { value: 'failed' } });
    expect(await within(region()).findByText('No failed tasks.')).toBeTruthy();
    fireEvent.click(within(region()).getByRole('button', { name: 'Show all tasks' }));
    expect(await within(region()).findByRole('listitem')).toBeTruthy();
  });

  it('updates a card in place from a task event, without a refetch', async () => {
    const task = makeTask({ id: 'live', prompt: 'live one', status: 'submitted' });
    serve(() => [task]);
    const { client, region } = renderPanel();
    const row = await within(region()).findByRole('listitem');
    const calls = vi.mocked(fetch).mock.calls.length;
    act(() => applyTaskChange(client, { ...task, status: 'succeed', updatedAt: task.updatedAt + 1 }));
    // TanStack batches cache notifications onto the next tick, hence find (not get).
    expect(await within(row).findByText('Succeeded')).toBeTruthy();
    // Same DOM node: the card was patched, not re-mounted.
    expect(within(region()).getByRole('listitem')).toBe(row);
    expect(vi.mocked(fetch).mock.calls.length).toBe(calls);
  });

  it('puts only a window of 500 results in the page, reading the next page as the end nears', async () => {
    const all = Array.from({ length: 500 }, (_, i) =>
      makeTask({ id: `t${i}`, prompt: `task number ${i}`, createdAt: 10_000 - i }),
    );
    const seen = serve(() => all);
    const lists = () => seen.filter((u) => u.startsWith('/api/tasks?'));
    const { region } = renderPanel();
    await within(region()).findAllByRole('listitem');
    const shown = () => within(region()).getAllByRole('listitem');
    expect(shown().length).toBeLessThan(40);
    // No total to tell: the list says its size is unknown while the server has more.
    expect(shown()[0]!.getAttribute('aria-setsize')).toBe('-1');
    expect(lists()).toEqual(['/api/tasks?pageSize=100']);

    // Scrolled to the end of what is loaded: the next pages are read, one after another, by cursor.
    const gallery = region().querySelector<HTMLElement>('.gallery')!;
    gallery.scrollTop = 1_000_000;
    fireEvent.scroll(gallery);
    await waitFor(() => expect(within(region()).getByText('task number 499')).toBeTruthy());
    expect(within(region()).queryByText('task number 0')).toBeNull();
    expect(shown().length).toBeLessThan(40);
    expect(lists()).toEqual([
      '/api/tasks?pageSize=100',
      '/api/tasks?pageSize=100&cursor=0.100',
      '/api/tasks?pageSize=100&cursor=0.200',
      '/api/tasks?pageSize=100&cursor=0.300',
      '/api/tasks?pageSize=100&cursor=0.400',
    ]);
    expect(shown().at(-1)!.getAttribute('aria-posinset')).toBe('500');
    expect(shown().at(-1)!.getAttribute('aria-setsize')).toBe('500');
  });

  it('says when older tasks could not be read, and reads them on Retry', async () => {
    const all = Array.from({ length: 150 }, (_, i) =>
      makeTask({ id: `t${i}`, prompt: `task number ${i}`, createdAt: 10_000 - i }),
    );
    let failing = true;
    serve((url) =>
      failing && url.includes('cursor=')
        ? json({ error: { code: 'internal', message: 'Database is locked' } }, 500)
        : all,
    );
    const { region } = renderPanel();
    await within(region()).findAllByRole('listitem');
    const gallery = region().querySelector<HTMLElement>('.gallery')!;
    gallery.scrollTop = 1_000_000;
    fireEvent.scroll(gallery);
    const alert = await within(region()).findByRole('alert');
    expect(alert.textContent).toMatch(/Older tasks could not be loaded \(Database is locked\)/);
    // What was loaded stays.
    expect(within(region()).getByText('task number 99')).toBeTruthy();
    failing = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(within(region()).getByText('task number 149')).toBeTruthy());
    expect(within(region()).queryByRole('alert')).toBeNull();
  });

  it('plays a finished card’s video muted while hovered, one card at a time', async () => {
    const play = vi.fn(async () => {});
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(play);
    serve(() => [done('a', 'first'), done('b', 'second')]);
    const { region } = renderPanel();
    await within(region()).findAllByRole('listitem');
    expect(region().querySelector('video')).toBeNull();

    fireEvent.pointerEnter(card(region(), 'first'), { pointerType: 'mouse' });
    const video = card(region(), 'first').querySelector('video')!;
    expect(video.getAttribute('src')).toBe('/api/tasks/a/video');
    expect(video.muted).toBe(true);
    expect(play).toHaveBeenCalled();

    fireEvent.pointerEnter(card(region(), 'second'), { pointerType: 'mouse' });
    expect(region().querySelectorAll('video')).toHaveLength(1);
    expect(card(region(), 'second').querySelector('video')).not.toBeNull();
    fireEvent.pointerLeave(card(region(), 'second'));
    expect(region().querySelector('video')).toBeNull();

    // Keyboard focus plays it too.
    fireEvent.focus(within(card(region(), 'first')).getByRole('button', { name: 'first' }));
    expect(card(region(), 'first').querySelector('video')).not.toBeNull();
  });

  it('marks the task this tab just created, among all tasks whatever the filter, without opening a viewer', async () => {
    serve(() => [makeTask({ id: 'new', prompt: 'fresh one' })]);
    const { region, rerender } = renderPanel();
    await within(region()).findByRole('listitem');
    fireEvent.change(within(region()).getByLabelText('Filter by status'), { target: { value: 'failed' } });
    await within(region()).findByText('No failed tasks.');
    rerender('new');
    const fresh = await within(region()).findByRole('listitem');
    expect(fresh.hasAttribute('data-new')).toBe(true);
    expect(within(fresh).getByRole('progressbar')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('the Result viewer', () => {
  it('opens a finished result with its video, Download, and the ids under Details; Escape closes it', async () => {
    serve(() => [done('ok123456789', 'sunset pan', { units: '3.5', price: { units: 3.5, basis: '5 s' } })]);
    const { region } = renderPanel();
    const opener = await within(region()).findByRole('button', { name: 'sunset pan' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = result();
    expect(within(dialog).getByRole('heading').textContent).toBe('sunset pan');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close result' }));
    const video = dialog.querySelector('video')!;
    expect(video.getAttribute('src')).toBe('/api/tasks/ok123456789/video');
    expect(video.getAttribute('poster')).toBe('/api/tasks/ok123456789/poster');
    expect([video.loop, video.controls]).toEqual([true, true]);
    const download = within(dialog).getByRole('button', { name: 'Download' });
    expect(download.getAttribute('href')).toBe('/api/tasks/ok123456789/video?download=1');
    expect(download.hasAttribute('download')).toBe(true);
    // Ids are folded away: inside the Details disclosure.
    const details = within(dialog).getByText('Details').closest('details')!;
    expect(details.open).toBe(false);
    expect(within(details).getByText('ok123456789')).toBeTruthy();
    expect(within(details).getByText('studio-ext-1')).toBeTruthy();

    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('shows a failed task with Kling’s message and what to change, and no Download', async () => {
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
    const dialog = result();
    expect(within(dialog).getByText(/Failure to pass the risk control system/)).toBeTruthy();
    expect(within(dialog).getByText(/content check refused/)).toBeTruthy();
    expect(within(dialog).getByText(/What to change:/).parentElement?.textContent).toMatch(
      /another start frame/,
    );
    expect(within(dialog).getByRole('button', { name: 'Remix' })).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: /^Generate again/ })).toBeTruthy();
    expect(within(dialog).queryByRole('button', { name: 'Download' })).toBeNull();
  });
});

describe('actions', () => {
  const finished = done('done', 'a done one', { price: { units: 3.5, basis: '5 s × 0.7 units/s' } });
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
        if (url.startsWith('/api/tasks?')) return json(makeList([finished]));
        if (url === '/api/tasks/done/inputs') return json(inputs);
        if (url === '/api/tasks/done') return json({ task: finished });
        if (url === '/api/tasks/again') return json({ task: created });
        return json({ error: { code: 'not_found', message: 'No such task' } }, 404);
      }),
    );
  }

  it('Remix hands the task’s stored inputs to what the app injected, then closes the viewer', async () => {
    serveActions([]);
    const remixInto = vi.fn(async () => {});
    const { region } = renderPanel(remixInto);
    fireEvent.click(await within(region()).findByRole('button', { name: 'a done one' }));
    fireEvent.click(within(result()).getByRole('button', { name: 'Remix' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(remixInto).toHaveBeenCalledWith(inputs);
  });

  it('Generate again wears its cost, posts the stored request under a new ms- id and shows the new task', async () => {
    const posted: unknown[] = [];
    serveActions(posted);
    const { client, region } = renderPanel();
    fireEvent.click(await within(region()).findByRole('button', { name: 'a done one' }));
    fireEvent.click(within(result()).getByRole('button', { name: 'Generate again · 3.5 units' }));
    // The viewer switches to the task just made.
    await waitFor(() => expect(within(result()).getByText('ms-new')).toBeTruthy());
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ model_name: 'kling-v1', prompt: 'a done one' });
    expect((posted[0] as { external_task_id: string }).external_task_id).toMatch(/^ms-[0-9a-f-]{36}$/);
    expect(client.getQueryData(taskKeys.detail('again'))).toMatchObject({ id: 'again' });
  });

  it('picks results into a selection bar that downloads each and compares them, side by side or wiped', async () => {
    const tasks = [done('a', 'first'), done('b', 'second'), done('c', 'third')];
    serve(() => tasks);
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.getAttribute('href') ?? '');
    });
    const { region } = renderPanel();
    await within(region()).findAllByRole('listitem');
    fireEvent.click(within(region()).getByRole('checkbox', { name: 'Pick first' }));
    const bar = within(region()).getByRole('group', { name: 'Picked results' });
    expect(bar.textContent).toMatch(/1 picked · pick one more to compare/);
    expect(within(bar).getByRole('button', { name: 'Compare' })).toHaveProperty('disabled', true);
    fireEvent.click(within(region()).getByRole('checkbox', { name: 'Pick third' }));
    expect(bar.textContent).toMatch(/^2 picked/);

    fireEvent.click(within(bar).getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(clicked).toHaveLength(2));
    expect(clicked).toEqual(['/api/tasks/a/video?download=1', '/api/tasks/c/video?download=1']);

    fireEvent.click(within(bar).getByRole('button', { name: 'Compare' }));
    const compare = await screen.findByRole('dialog', { name: 'Compare' });
    await waitFor(() => expect(compare.querySelectorAll('video')).toHaveLength(2));
    expect(document.activeElement).toBe(within(compare).getByRole('button', { name: 'Close comparison' }));
    expect(within(compare).getByRole('radio', { name: 'Side by side' })).toHaveProperty('checked', true);
    expect(within(compare).queryByRole('slider', { name: 'Wipe' })).toBeNull();

    const [left, right] = compare.querySelectorAll('video');
    fireEvent.click(within(compare).getByRole('radio', { name: 'Wipe' }));
    const wipe = within(compare).getByRole('slider', { name: 'Wipe' });
    // The same two players (still in step), the second clipped at the line.
    expect([...compare.querySelectorAll('video')]).toEqual([left, right]);
    const clipOf = () => (right!.parentElement as HTMLElement).style.clipPath;
    expect(clipOf()).toBe('inset(0 50% 0 0)');
    fireEvent.change(wipe, { target: { value: '80' } });
    expect(clipOf()).toBe('inset(0 20% 0 0)');

    fireEvent.click(within(compare).getByRole('button', { name: 'Close comparison' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(within(bar).getByRole('button', { name: 'Clear' }));
    expect(within(region()).queryByRole('group', { name: 'Picked results' })).toBeNull();
  });

  it('shows a task waiting in the studio’s queue with its place, and Cancel ends it, or says why not', async () => {
    const queued = makeTask({ id: 'q', prompt: 'waiting one', status: 'queued', queue: { position: 2 } });
    const cancelled = {
      ...queued,
      status: 'cancelled' as const,
      queue: undefined,
      updatedAt: queued.updatedAt + 1,
    };
    let refuse = false;
    const posted: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === 'POST') {
          posted.push(url);
          return refuse
            ? json(
                { error: { code: 'not_cancellable', message: 'This task was already sent to Kling.' } },
                409,
              )
            : json({ task: cancelled });
        }
        if (url.startsWith('/api/tasks?')) return json(makeList([queued]));
        return json({ task: queued });
      }),
    );
    const { region } = renderPanel();
    const row = await within(region()).findByRole('listitem');
    expect(within(row).getByText('Queued')).toBeTruthy();
    expect(row.querySelector('.gallery-line')?.textContent).toMatch(/^Queued · 2nd · /);
    expect(within(row).getByText('waiting for a slot at Kling')).toBeTruthy();
    expect(within(row).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('0');

    fireEvent.click(within(row).getByRole('button', { name: 'waiting one' }));
    refuse = true;
    fireEvent.click(within(result()).getByRole('button', { name: 'Cancel' }));
    expect((await within(result()).findByRole('alert')).textContent).toBe(
      'This task was already sent to Kling.',
    );
    refuse = false;
    fireEvent.click(within(result()).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(within(result()).getByText('Cancelled')).toBeTruthy());
    expect(posted).toEqual(['/api/tasks/q/cancel', '/api/tasks/q/cancel']);
    expect(within(result()).queryByRole('button', { name: 'Cancel' })).toBeNull();
    await waitFor(() => expect(within(card(region(), 'waiting one')).getByText('Cancelled')).toBeTruthy());
  });

  it('Move to front gives the task its new place at once, and the others’ places follow from the server', async () => {
    let list = [
      makeTask({ id: 'c', prompt: 'third in line', status: 'queued', queue: { position: 3 }, createdAt: 3 }),
      makeTask({ id: 'b', prompt: 'second in line', status: 'queued', queue: { position: 2 }, createdAt: 2 }),
      makeTask({ id: 'a', prompt: 'first in line', status: 'queued', queue: { position: 1 }, createdAt: 1 }),
    ];
    const posted: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === 'POST') {
          posted.push(url);
          // The studio reorders its queue: c goes first, a and b move down one.
          list = list.map((t) => ({ ...t, queue: { position: { c: 1, a: 2, b: 3 }[t.id]! } }));
          return json({ task: list[0] });
        }
        if (url.startsWith('/api/tasks?')) return json(makeList(list));
        const task = list.find((t) => url === `/api/tasks/${t.id}`);
        return json({ task });
      }),
    );
    const { region } = renderPanel();
    const line = (prompt: string) => card(region(), prompt).querySelector('.gallery-line')?.textContent;
    await within(region()).findAllByRole('listitem');
    expect(line('third in line')).toMatch(/^Queued · 3rd/);

    fireEvent.click(within(card(region(), 'third in line')).getByRole('button', { name: 'third in line' }));
    const front = within(result()).getByRole('button', { name: 'Move to front' });
    fireEvent.click(front);
    await waitFor(() =>
      expect(result().querySelector('.tasks-status-line')?.textContent).toBe('Queued · 1st'),
    );
    expect(posted).toEqual(['/api/tasks/c/move-to-front']);
    // Already next: nothing to move.
    expect(within(result()).getByRole('button', { name: 'Move to front' })).toHaveProperty('disabled', true);
    await waitFor(() => expect(line('first in line')).toMatch(/^Queued · 2nd/));
    expect(line('second in line')).toMatch(/^Queued · 3rd/);
    expect(line('third in line')).toMatch(/^Queued · 1st/);
  });

  it('offers neither Cancel nor Move to front once the studio is sending the task', async () => {
    const sending = makeTask({ id: 's', prompt: 'on its way', status: 'queued', sentAt: 1_760_000_001_000 });
    serve(() => [sending]);
    const { region } = renderPanel();
    fireEvent.click(await within(region()).findByRole('button', { name: 'on its way' }));
    expect(result().querySelector('.tasks-status-line')?.textContent).toBe('Queued · sending');
    expect(within(result()).queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(within(result()).queryByRole('button', { name: 'Move to front' })).toBeNull();
  });
});

describe('batches', () => {
  /** A batch's tasks as the server lists them: newest first, so its last take on top. */
  const batch = (id: string, size: number, make: (i: number) => Partial<StudioTask>) =>
    Array.from({ length: size }, (_, k) => {
      const index = size - 1 - k;
      return done(`${id}${index}`, `${id} take ${index + 1}`, {
        createdAt: 5000,
        model: 'kling-v2-6',
        mode: 'pro',
        batch: { id, index, size },
        ...make(index),
      });
    });

  it('groups a batch’s results under a header in the batch’s order, and Compare plays its finished ones', async () => {
    serve(() => [
      done('new', 'made after', { createdAt: 9000 }),
      ...batch('B', 3, (i) => (i === 1 ? { status: 'processing', video: null, posterUrl: null } : {})),
      done('old', 'made before', { createdAt: 1000 }),
    ]);
    const { region } = renderPanel();
    const results = await within(region()).findByRole('list', { name: 'Results' });
    const group = await within(region()).findByRole('list', { name: 'Batch of 3 · Kling 2.6 · Pro · 5 s' });
    // The gallery's items: a card, the batch, a card; the batch's cards are a list of their own.
    const items = [...results.children] as HTMLElement[];
    expect(items.map((li) => li.getAttribute('aria-posinset'))).toEqual(['1', '2', '3']);
    expect(items.map((li) => li.getAttribute('aria-setsize'))).toEqual(['3', '3', '3']);
    expect(items[1]!.contains(group)).toBe(true);
    const takes = within(group).getAllByRole('listitem');
    expect(takes.map((li) => within(li).getAllByRole('button')[0]!.textContent)).toEqual([
      'B take 1',
      'B take 2',
      'B take 3',
    ]);
    expect(takes.map((li) => li.getAttribute('aria-posinset'))).toEqual(['1', '2', '3']);
    const header = items[1]!.querySelector('.gallery-batch-header') as HTMLElement;
    expect(header.textContent).toContain('2 of 3 done');

    fireEvent.click(within(header).getByRole('button', { name: 'Compare' }));
    const compare = await screen.findByRole('dialog', { name: 'Compare' });
    await waitFor(() => expect(compare.querySelectorAll('video')).toHaveLength(2));
    expect([...compare.querySelectorAll('video')].map((v) => v.getAttribute('src'))).toEqual([
      '/api/tasks/B0/video',
      '/api/tasks/B2/video',
    ]);
  });

  it('turns Compare off until two of the batch are done', async () => {
    serve(() =>
      batch('C', 2, (i) => (i === 0 ? { status: 'queued', video: null, queue: { position: 1 } } : {})),
    );
    const { region } = renderPanel();
    const group = await within(region()).findByRole('list', { name: /^Batch of 2/ });
    const header = group.parentElement!.querySelector('.gallery-batch-header') as HTMLElement;
    expect(within(header).getByRole('button', { name: 'Compare' })).toHaveProperty('disabled', true);
  });

  it('compares a batch of six four at a time, in step, stepping to the last four', async () => {
    serve(() => batch('D', 6, () => ({})));
    const { region } = renderPanel();
    const group = await within(region()).findByRole('list', { name: /^Batch of 6/ });
    const header = group.parentElement!.querySelector('.gallery-batch-header') as HTMLElement;
    fireEvent.click(within(header).getByRole('button', { name: 'Compare' }));
    const compare = await screen.findByRole('dialog', { name: 'Compare' });
    const srcs = () => [...compare.querySelectorAll('video')].map((v) => v.getAttribute('src'));
    await waitFor(() => expect(srcs()).toHaveLength(4));
    expect(srcs()).toEqual([0, 1, 2, 3].map((i) => `/api/tasks/D${i}/video`));
    expect(compare.textContent).toContain('Videos 1–4 of 6');
    expect(within(compare).getByRole('button', { name: 'Previous' })).toHaveProperty('disabled', true);
    fireEvent.click(within(compare).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(srcs()).toEqual([2, 3, 4, 5].map((i) => `/api/tasks/D${i}/video`)));
    expect(compare.textContent).toContain('Videos 3–6 of 6');
    expect(within(compare).getByRole('button', { name: 'Next' })).toHaveProperty('disabled', true);
  });
});
