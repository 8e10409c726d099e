import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import { taskKeys } from '../api/task-queries.ts';
import { useEditorStore } from '../editor/editor-store.ts';
import { pngFrame } from '../testing/draft.ts';
import { renderWithQuery, resetEditor, stubTasksApi } from '../testing/render.tsx';
import { Studio } from './studio.tsx';

const task: StudioTask = {
  id: 't1',
  kind: 'image2video',
  shots: null,
  price: null,
  externalTaskId: 'e1',
  klingTaskId: null,
  status: 'submitted',
  statusMessage: null,
  model: 'kling-v2-6',
  mode: 'std',
  duration: '5',
  motion: 'frames',
  prompt: 'waves roll in',
  units: null,
  createdAt: 1,
  updatedAt: 1,
  finishedAt: null,
  video: null,
  thumbnailUrl: null,
} as StudioTask;

const bar = () => screen.getByRole('region', { name: 'Generate' });
const generate = () => within(bar()).getByRole('button', { name: 'Generate' });
const ctrlEnter = (target: Element) => fireEvent.keyDown(target, { key: 'Enter', ctrlKey: true });

function ready() {
  useEditorStore.getState().setFrame('start', pngFrame(1280, 720));
  useEditorStore.getState().setPrompt('waves roll in');
}

beforeEach(resetEditor);
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the action bar', () => {
  it('says the setup and its cost in creator words, and why Generate is off: the first reason, the rest counted', async () => {
    renderWithQuery(<Studio />);
    await screen.findByRole('region', { name: 'Generate' });
    expect(within(bar()).getByText('Kling 2.6 · Standard · 5 s')).toBeTruthy();
    expect(within(bar()).getByText('1.5 units (≈ $0.21)')).toBeTruthy();
    expect(generate().getAttribute('aria-disabled')).toBe('true');

    act(() => {
      useEditorStore.getState().setPrompt('Hi <<<voice_2>>>');
    });
    const reasons = bar().querySelector('.reasons')!;
    expect(
      within(reasons as HTMLElement).getByText('Start frame (image): a start frame is required'),
    ).toBeTruthy();
    expect(within(reasons as HTMLElement).getByText(/^and \d+ more$/)).toBeTruthy();
    expect(reasons.querySelector('details li')?.textContent).toMatch(/<<<voice_2>>> refers to voice 2/);
    // The description names what holds it back, for those who do not see the bar.
    expect(generate().getAttribute('aria-describedby')).toBe(reasons.id);
    const more = reasons.querySelector('details')!;
    fireEvent.click(more.querySelector('summary')!);
    more.open = true;
    fireEvent.keyDown(more.querySelector('summary')!, { key: 'Escape' });
    expect(more.open).toBe(false);
  });

  it('Ctrl+Enter in the Prompt box sends exactly what Generate sends; nothing while Generate is off', async () => {
    const api = stubTasksApi({ status: 201, body: { task } });
    vi.stubGlobal('fetch', api.fetch);
    renderWithQuery(<Studio />);
    const prompt = await screen.findByLabelText('Prompt');
    ctrlEnter(prompt);
    await new Promise((r) => setTimeout(r, 50));
    expect(api.bodies).toHaveLength(0);

    act(ready);
    await waitFor(() => expect(generate().getAttribute('aria-disabled')).toBe('false'));
    ctrlEnter(prompt);
    await screen.findByText(/Submitted as task/);
    expect(api.bodies).toHaveLength(1);
    expect(api.bodies[0]).toMatchObject({ model_name: 'kling-v2-6', mode: 'std', prompt: 'waves roll in' });
  });

  it('asks before sending a request identical to one still running; Cancel sends nothing, Generate anyway sends it', async () => {
    const api = stubTasksApi({ status: 201, body: { task } });
    vi.stubGlobal('fetch', api.fetch);
    const { client } = renderWithQuery(<Studio />);
    act(ready);
    await waitFor(() => expect(generate().getAttribute('aria-disabled')).toBe('false'));
    fireEvent.click(generate());
    await screen.findByText(/Submitted as task/);
    expect(api.bodies).toHaveLength(1);

    fireEvent.click(generate());
    const ask = await screen.findByRole('alertdialog');
    expect(ask.textContent).toContain('A task with these exact settings is still running. Generate another?');
    // Cancel has the keyboard, so a second Enter never spends twice.
    expect(document.activeElement).toBe(within(ask).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(ask).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(generate());
    expect(api.bodies).toHaveLength(1);

    // Ctrl+Enter is the same press: it asks too.
    ctrlEnter(document.body);
    fireEvent.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Generate anyway' }),
    );
    await waitFor(() => expect(api.bodies).toHaveLength(2));
    expect(api.bodies[1]).toEqual(api.bodies[0]);

    // Once the twin has finished, the same request goes straight out.
    act(() => {
      client.setQueryData(taskKeys.detail('t1'), { ...task, status: 'succeed', updatedAt: 9 });
    });
    await waitFor(() => expect(generate().getAttribute('aria-disabled')).toBe('false'));
    fireEvent.click(generate());
    await waitFor(() => expect(api.bodies).toHaveLength(3));
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('a different request is not asked about, and an edit drops an open question', async () => {
    const api = stubTasksApi({ status: 201, body: { task } });
    vi.stubGlobal('fetch', api.fetch);
    renderWithQuery(<Studio />);
    act(ready);
    await waitFor(() => expect(generate().getAttribute('aria-disabled')).toBe('false'));
    fireEvent.click(generate());
    await screen.findByText(/Submitted as task/);
    fireEvent.click(generate());
    await screen.findByRole('alertdialog');
    act(() => {
      useEditorStore.getState().setPrompt('waves roll out');
    });
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    fireEvent.click(generate());
    await waitFor(() => expect(api.bodies).toHaveLength(2));
    expect(api.bodies[1]).toMatchObject({ prompt: 'waves roll out' });
  });
});
