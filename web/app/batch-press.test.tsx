import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BatchRequest, QueueState } from '../../contract/schemas/studio-api.ts';
import { pngImage } from '../../contract/testing/test-images.ts';
import { Notices } from '../components/notices.tsx';
import { useEditorStore } from '../editor/editor-store.ts';
import { pngFrame } from '../testing/draft.ts';
import { renderWithQuery, resetEditor } from '../testing/render.tsx';
import { makeTask } from '../testing/task-fixture.ts';
import { Studio } from './studio.tsx';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const idle: QueueState = { queued: 0, running: 0, slots: { configured: 5, learned: 5 }, budget: null };

/**
 * The studio's API as the press sees it: POST /api/tasks and /api/tasks/batch answer with tasks (or the
 * given error), GET /api/queue with `queue`; every body received is kept.
 */
function stubStudio({
  queue = idle,
  batchError,
  refuse = [],
}: {
  queue?: QueueState;
  batchError?: unknown;
  refuse?: number[];
} = {}) {
  const batches: BatchRequest[] = [];
  const singles: unknown[] = [];
  let queueReads = 0;
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    const path = String(url);
    if (path.endsWith('/api/tasks/batch') && init?.method === 'POST') {
      const body = JSON.parse(String(init.body)) as BatchRequest;
      batches.push(body);
      if (batchError) return json(batchError, 429);
      const size = body.count ?? body.images!.length;
      const indices = Array.from({ length: size }, (_, i) => i);
      return json(
        {
          batchId: 'b1',
          tasks: indices
            .filter((i) => !refuse.includes(i))
            .map((i) =>
              makeTask({ id: `task-${i}-0123456789`, status: 'queued', batch: { id: 'b1', index: i, size } }),
            ),
          refused: refuse.map((index) => ({
            index,
            error: {
              code: 'invalid_request',
              message: 'The request is not valid',
              issues: [
                {
                  field: 'image',
                  rule: 'image_damaged',
                  message: 'Start frame (image): the picture data is damaged',
                },
              ],
            },
          })),
        },
        201,
      );
    }
    if (path.endsWith('/api/tasks') && init?.method === 'POST') {
      singles.push(JSON.parse(String(init.body)));
      return json({ task: makeTask({ id: 'single-0123456789' }) }, 201);
    }
    if (path.endsWith('/api/queue')) {
      queueReads++;
      return json(queue);
    }
    return json({ tasks: [], pageSize: 20, nextCursor: null });
  };
  return { fetch, batches, singles, queueReads: () => queueReads };
}

const bar = () => screen.getByRole('region', { name: 'Generate' });
const generateButton = () => within(bar()).getByRole('button', { name: /^Generate/ });

function ready() {
  useEditorStore.getState().setFrame('start', pngFrame(1280, 720));
  useEditorStore.getState().setPrompt('waves roll in');
}

const pngFile = (width: number, height: number, name: string) =>
  new File([pngImage(width, height) as Uint8Array<ArrayBuffer>], name, { type: 'image/png' });

beforeEach(resetEditor);
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('Takes', () => {
  it('3 takes: the button says "Generate ×3 · 4.5 units", and one press posts the request with count 3', async () => {
    const api = stubStudio();
    vi.stubGlobal('fetch', api.fetch);
    renderWithQuery(<Studio />);
    act(ready);
    await waitFor(() => expect(generateButton().getAttribute('aria-disabled')).toBe('false'));
    expect(generateButton().textContent).toBe('Generate');

    fireEvent.change(within(bar()).getByLabelText('Takes'), { target: { value: '3' } });
    expect(within(bar()).getByRole('button', { name: 'Generate ×3 · 4.5 units' })).toBe(generateButton());
    expect(within(bar()).getByText('4.5 units (≈ $0.63) for 3 takes')).toBeTruthy();

    fireEvent.click(generateButton());
    await screen.findByText(/^Submitted as 3 tasks/);
    expect(api.singles).toHaveLength(0);
    expect(api.batches).toHaveLength(1);
    expect(api.batches[0]!.count).toBe(3);
    expect(api.batches[0]!.images).toBeUndefined();
    expect(api.batches[0]!.request).toMatchObject({ model_name: 'kling-v2-6', prompt: 'waves roll in' });
    const start = useEditorStore.getState().frames.start;
    expect(start?.source === 'file' && api.batches[0]!.request.image === start.base64).toBe(true);

    // The same takes again while they run: the question first, as for a single press.
    fireEvent.click(generateButton());
    const ask = await screen.findByRole('alertdialog');
    fireEvent.click(within(ask).getByRole('button', { name: 'Generate anyway' }));
    await waitFor(() => expect(api.batches).toHaveLength(2));
    expect(api.batches[1]).toEqual(api.batches[0]);
  });

  it('the Reference video tab makes one task per press: Takes is off and the button is "Generate"', async () => {
    vi.stubGlobal('fetch', stubStudio().fetch);
    renderWithQuery(<Studio />);
    await screen.findByRole('region', { name: 'Generate' });
    fireEvent.change(within(bar()).getByLabelText('Takes'), { target: { value: '4' } });
    await act(async () => {
      await useEditorStore.getState().setMotionTab('reference');
    });
    const takes = within(bar()).getByLabelText('Takes') as HTMLSelectElement;
    expect(takes.disabled).toBe(true);
    expect(takes.value).toBe('1');
    expect(generateButton().textContent).toBe('Generate');
  });
});

describe('the queue and the budget in the bar', () => {
  it('shows running/queued counts and what is left today; reads them again when a task changes', async () => {
    const queue: QueueState = {
      queued: 3,
      running: 2,
      slots: { configured: 5, learned: 5 },
      budget: { unitsPerDay: 250, spentUnits: 132, leftUnits: 118, resetsAt: 0 },
    };
    const api = stubStudio({ queue });
    vi.stubGlobal('fetch', api.fetch);
    const { client } = renderWithQuery(<Studio />);
    expect(
      await within(await screen.findByRole('region', { name: 'Generate' })).findByText(
        '2 running · 3 queued · 118 of 250 units left today',
      ),
    ).toBeTruthy();
    const reads = api.queueReads();
    act(() => {
      client.setQueryData(['tasks', 'detail', 'x'], makeTask({ id: 'x', status: 'succeed' }));
    });
    await waitFor(() => expect(api.queueReads()).toBeGreaterThan(reads));
  });

  it('a press over what is left says so; a budget_exceeded refusal shows its numbers and keeps the draft', async () => {
    const budget = { unitsPerDay: 250, spentUnits: 247, leftUnits: 3, resetsAt: 0 };
    const api = stubStudio({
      queue: { ...idle, budget },
      batchError: {
        error: {
          code: 'budget_exceeded',
          message:
            "Over today's budget: today 247 of 250 units; this needs 6. Nothing was queued or sent; the budget (BUDGET_UNITS_PER_DAY) starts again at midnight.",
          budget: { ...budget, neededUnits: 6 },
        },
      },
    });
    vi.stubGlobal('fetch', api.fetch);
    renderWithQuery(<Studio />);
    act(ready);
    await within(bar()).findByText(/3 of 250 units left today/);
    fireEvent.change(within(bar()).getByLabelText('Takes'), { target: { value: '4' } });
    expect(within(bar()).getByText(/this press needs 6 units/)).toBeTruthy();
    fireEvent.click(generateButton());
    const alert = await within(bar()).findByRole('alert');
    expect(alert.textContent).toContain('today 247 of 250 units; this needs 6');
    expect(alert.textContent).toContain('Nothing was lost');
    expect(useEditorStore.getState().prompt).toBe('waves roll in');
    expect(useEditorStore.getState().frames.start).not.toBeNull();
  });
});

describe('a batch drop onto the start frame', () => {
  it('several pictures: what will happen first, then one task each with the same camera move', async () => {
    const api = stubStudio();
    vi.stubGlobal('fetch', api.fetch);
    renderWithQuery(
      <>
        <Studio />
        <Notices />
      </>,
    );
    act(() => {
      const s = useEditorStore.getState();
      s.setPrompt('slow pan');
      s.replaceDraft({
        ...useEditorStore.getState(),
        model: 'kling-v1-5',
        mode: 'pro',
        motionTab: 'camera',
        camera: { type: 'simple', config: { horizontal: 0, vertical: 0, pan: 5, tilt: 0, roll: 0, zoom: 0 } },
      });
    });
    const files = [
      pngFile(1280, 720, 'one.png'),
      pngFile(1024, 768, 'two.png'),
      pngFile(100, 100, 'tiny.png'),
      pngFile(720, 1280, 'three.png'),
    ];
    fireEvent.change(await screen.findByLabelText('Start frame'), { target: { files } });

    const ask = await within(bar()).findByRole('alertdialog', { name: /^3 pictures · one task each · \d/ });
    // The empty start frame took the first picture, and said so.
    await waitFor(() => expect(useEditorStore.getState().frames.start?.source).toBe('file'));
    expect(screen.getByText(/The first picture, one\.png, is now the start frame/)).toBeTruthy();
    expect(
      within(ask).getByText(/^Left out tiny\.png: Start frame \(image\): 100×100 px is below/),
    ).toBeTruthy();
    expect(api.batches).toHaveLength(0);

    fireEvent.click(within(ask).getByRole('button', { name: 'Generate 3 tasks' }));
    await screen.findByText(/^Submitted as 3 tasks/);
    expect(api.batches).toHaveLength(1);
    const body = api.batches[0]!;
    expect(body.count).toBeUndefined();
    expect(body.images).toHaveLength(3);
    expect(new Set(body.images).size).toBe(3);
    expect(body.request).not.toHaveProperty('image');
    expect(body.request.camera_control).toEqual({
      type: 'simple',
      config: { horizontal: 0, vertical: 0, pan: 5, tilt: 0, roll: 0, zoom: 0 },
    });
    expect(within(bar()).queryByRole('alertdialog')).toBeNull();
  });

  it('Cancel sends nothing; the Motion brush refuses pictures of another size, naming them', async () => {
    const api = stubStudio();
    vi.stubGlobal('fetch', api.fetch);
    renderWithQuery(<Studio />);
    act(ready);
    await act(async () => {
      await useEditorStore.getState().setMotionTab('brush');
    });
    fireEvent.change(await screen.findByLabelText('Start frame'), {
      target: { files: [pngFile(1280, 720, 'same.png'), pngFile(1024, 768, 'other.png')] },
    });
    const ask = await within(bar()).findByRole('alertdialog', { name: /^2 pictures · one task each/ });
    expect(
      within(ask).getByText(
        "The motion brush's masks fit the start frame's 1280 × 720 px; picture 2 (other.png) has another size. Drop pictures of that size, or use another Motion tab.",
      ),
    ).toBeTruthy();
    const go = within(ask).getByRole('button', { name: 'Generate 2 tasks' });
    expect(go.getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(go);
    fireEvent.click(within(ask).getByRole('button', { name: 'Cancel' }));
    expect(within(bar()).queryByRole('alertdialog')).toBeNull();
    await new Promise((r) => setTimeout(r, 50));
    expect(api.batches).toHaveLength(0);
  });

  it('the pictures the studio refused are listed after, by name and rule', async () => {
    const api = stubStudio({ refuse: [1] });
    vi.stubGlobal('fetch', api.fetch);
    renderWithQuery(<Studio />);
    act(ready);
    fireEvent.change(await screen.findByLabelText('Start frame'), {
      target: {
        files: [pngFile(1280, 720, 'a.png'), pngFile(1280, 720, 'b.png'), pngFile(1280, 720, 'c.png')],
      },
    });
    const ask = await within(bar()).findByRole('alertdialog', { name: /^3 pictures/ });
    fireEvent.click(within(ask).getByRole('button', { name: 'Generate 3 tasks' }));
    const status = await within(bar()).findByText(/1 of 3 pictures refused/);
    const box = status.closest('.batch-refusals') as HTMLElement;
    expect(within(box).getByText(/^Picture 2 \(b\.png\): the picture data is damaged/)).toBeTruthy();
    expect(box.textContent).toContain('(image_damaged)');
    expect(within(bar()).getByText(/^Submitted as 2 tasks/)).toBeTruthy();
  });
});
