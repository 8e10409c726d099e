import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeBase64 } from '../../contract/images/base64.ts';
import type { TaskInputs } from '../../contract/schemas/studio-api.ts';
import { pngImage } from '../../contract/testing/test-images.ts';
import { useEditorStore } from '../editor/editor-store.ts';
import { pngFrame } from '../testing/draft.ts';
import { renderWithQuery, resetEditor, stubTasksApi } from '../testing/render.tsx';
import { remixIntoStudio } from './remix.ts';
import { Studio } from './studio.tsx';

const task = {
  id: 't1',
  kind: 'image2video',
  shots: 3,
  price: null,
  externalTaskId: 'e1',
  klingTaskId: null,
  status: 'submitted',
  statusMessage: null,
  model: 'kling-v3',
  mode: 'std',
  duration: '12',
  motion: 'frames',
  prompt: '',
  units: null,
  createdAt: 1,
  updatedAt: 1,
  finishedAt: null,
  video: null,
  thumbnailUrl: null,
};

/** The storyboard's editor loads lazily the first time (a cold import in the test runner takes a while). */
const LAZY = { timeout: 10_000 };
const store = () => useEditorStore.getState();
const generate = () => screen.getByRole('button', { name: 'Generate' });
const board = () => screen.getByRole('region', { name: 'Storyboard' });
const cards = () => within(board()).getAllByRole('listitem', { name: /^Shot \d$/ });
const shotCard = (n: number) => within(board()).getByRole('listitem', { name: `Shot ${n}` });
const promptBox = (n: number) =>
  screen.getByRole('textbox', { name: `Shot ${n} prompt` }) as HTMLTextAreaElement;
const lengthBox = (n: number) =>
  screen.getByRole('spinbutton', { name: `Shot ${n} length` }) as HTMLInputElement;
const type = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });

/** The studio on kling-v3 std, 12 s, with a start frame (set through the store: the settings have their own tests). */
async function openOnV3() {
  store().applySetup({ model: 'kling-v3', mode: 'std', duration: '12' });
  store().setFrame('start', pngFrame());
  renderWithQuery(<Studio />);
  return (await screen.findByRole('switch', { name: 'Multi-shot' }, LAZY)) as HTMLInputElement;
}

/** Three shots with prompts and lengths 4 / 5 / 3 through the editor's own controls. */
async function threeShots() {
  fireEvent.click(await openOnV3());
  await screen.findByRole('region', { name: 'Storyboard' });
  fireEvent.click(screen.getByRole('button', { name: 'Add shot' }));
  fireEvent.click(screen.getByRole('button', { name: 'Add shot' }));
  ['A wide shot of the harbour', 'The boat leaves the pier', 'Close-up on the sail'].forEach((p, i) => {
    type(promptBox(i + 1), p);
  });
  [4, 5, 3].forEach((n, i) => {
    type(lengthBox(i + 1), String(n));
  });
}

beforeEach(resetEditor);
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('storyboard', { timeout: 20_000 }, () => {
  it('offers Multi-shot only where the model and mode take it', async () => {
    renderWithQuery(<Studio />);
    await screen.findByRole('button', { name: 'Generate' });
    expect(screen.queryByRole('switch', { name: 'Multi-shot' })).toBeNull(); // kling-v2-6
    act(() => {
      store().applySetup({ model: 'kling-v3', mode: 'std', duration: '12' });
    });
    expect(await screen.findByRole('switch', { name: 'Multi-shot' }, LAZY)).toBeTruthy();
    act(() => {
      store().setMode('4k');
    });
    await waitFor(() => expect(screen.queryByRole('switch', { name: 'Multi-shot' })).toBeNull());
  });

  it('builds shots, shows their shares and the running total, and fits them to the duration', async () => {
    fireEvent.click(await openOnV3());
    await screen.findByRole('region', { name: 'Storyboard' });
    expect(lengthBox(1).value).toBe('12');
    fireEvent.click(screen.getByRole('button', { name: 'Add shot' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add shot' }));
    type(lengthBox(1), '4');
    type(lengthBox(2), '5');
    type(lengthBox(3), '2');
    expect(within(board()).getByRole('status').textContent).toBe('Shots: 11 s of 12 s');
    expect(within(board()).getByRole('img').getAttribute('aria-label')).toBe(
      'Timeline of 12 s: shot 1 4 s, shot 2 5 s, shot 3 2 s',
    );
    // The sum's issue, in the contract's words, beside the total (and among Generate's reasons).
    const sum =
      'Storyboard (multi_prompt): the shots last 11 s in all, but the video lasts 12 s; they must add up exactly';
    expect(within(board()).getByText(sum)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Fit to 12 s' }));
    expect([1, 2, 3].map((n) => lengthBox(n).value)).toEqual(['4', '6', '2']);
    expect(within(board()).getByRole('status').textContent).toBe('Shots: 12 s of 12 s');
    expect(screen.queryByRole('button', { name: 'Fit to 12 s' })).toBeNull();
    expect(within(board()).queryByText(sum)).toBeNull();
    for (let i = 0; i < 4; i++) fireEvent.click(screen.getByRole('button', { name: 'Add shot' }));
    expect(cards()).toHaveLength(6);
    expect((screen.getByRole('button', { name: 'Add shot' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('moves and removes shots with their prompts and lengths', async () => {
    await threeShots();
    fireEvent.click(screen.getByRole('button', { name: 'Move shot 3 up' }));
    expect([promptBox(2).value, lengthBox(2).value]).toEqual(['Close-up on the sail', '3']);
    expect((screen.getByRole('button', { name: 'Move shot 1 up' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Move shot 3 down' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Move shot 1 down' }));
    expect(promptBox(1).value).toBe('Close-up on the sail');
    fireEvent.click(screen.getByRole('button', { name: 'Remove shot 2' }));
    expect(cards()).toHaveLength(2);
    expect([promptBox(1).value, promptBox(2).value]).toEqual([
      'Close-up on the sail',
      'The boat leaves the pier',
    ]);
    expect(within(board()).getByRole('status').textContent).toBe('Shots: 8 s of 12 s');
  });

  it('shows each violation beside its own shot, in the contract words, with a counter', async () => {
    await threeShots();
    type(promptBox(2), 'x'.repeat(513));
    type(lengthBox(3), '0');
    expect(within(shotCard(2)).getByText('513 / 512 — too long')).toBeTruthy();
    expect(
      within(shotCard(2)).getByText(
        'Shot 2 prompt (multi_prompt[1].prompt): 513 characters is over the 512-character limit',
      ),
    ).toBeTruthy();
    expect(
      within(shotCard(3)).getByText('Shot 3 length (multi_prompt[2].duration): must be at least 1 s'),
    ).toBeTruthy();
    expect(within(shotCard(1)).queryByRole('list')).toBeNull();
    type(promptBox(1), '');
    expect(
      within(shotCard(1)).getByText('Shot 1 prompt (multi_prompt[0].prompt): every shot needs a prompt'),
    ).toBeTruthy();
    expect(generate().getAttribute('aria-disabled')).toBe('true');
  });

  it('sends multi_shot, shot_type customize and the shots; the top-level prompt as typed', async () => {
    const api = stubTasksApi({ status: 201, body: { task } });
    vi.stubGlobal('fetch', api.fetch);
    await threeShots();
    type(screen.getByLabelText('Prompt'), 'a harbour at dawn');
    await waitFor(() => expect(generate().getAttribute('aria-disabled')).toBe('false'));
    fireEvent.click(generate());
    await screen.findByText(/Submitted as task/);
    expect(api.bodies).toHaveLength(1);
    expect(api.bodies[0]).toMatchObject({
      model_name: 'kling-v3',
      mode: 'std',
      duration: '12',
      prompt: 'a harbour at dawn',
      multi_shot: true,
      shot_type: 'customize',
      multi_prompt: [
        { index: 1, prompt: 'A wide shot of the harbour', duration: '4' },
        { index: 2, prompt: 'The boat leaves the pier', duration: '5' },
        { index: 3, prompt: 'Close-up on the sail', duration: '3' },
      ],
    });
    expect(api.bodies[0]).not.toHaveProperty('element_list');
  });

  it("keeps everything after a refused submit and shows the backend's issue beside its shot", async () => {
    const issue = {
      field: 'multi_prompt[1].prompt',
      rule: 'content_policy',
      message: 'Shot 2 prompt (multi_prompt[1].prompt): refused by the content policy',
    };
    const api = stubTasksApi({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'Refused', issues: [issue] } },
    });
    vi.stubGlobal('fetch', api.fetch);
    await threeShots();
    await waitFor(() => expect(generate().getAttribute('aria-disabled')).toBe('false'));
    fireEvent.click(generate());
    expect(await within(shotCard(2)).findByText(issue.message)).toBeTruthy();
    expect(screen.getByText(/Nothing was lost/)).toBeTruthy();
    // Shown beside its shot, so not repeated in the submit's error box.
    expect(screen.getAllByText(issue.message)).toHaveLength(1);
    expect(store().storyboard.shots.map((s) => [s.prompt, s.seconds])).toEqual([
      ['A wide shot of the harbour', 4],
      ['The boat leaves the pier', 5],
      ['Close-up on the sail', 3],
    ]);
    expect(store().storyboard.enabled).toBe(true);
  });

  it('lets Kling plan the shots: the cards hide, the prompt is required, and no shots are sent', async () => {
    const api = stubTasksApi({ status: 201, body: { task } });
    vi.stubGlobal('fetch', api.fetch);
    await threeShots();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Let Kling plan the shots' }));
    expect(within(board()).queryAllByRole('listitem', { name: /^Shot \d$/ })).toHaveLength(0);
    expect(screen.queryByRole('button', { name: 'Add shot' })).toBeNull();
    const need = 'Prompt: a prompt is required when Kling plans the shots (shot_type intelligence)';
    expect((await screen.findAllByText(need)).length).toBe(2); // beside the prompt and in Generate's reasons
    type(screen.getByLabelText('Prompt'), 'A boat leaves a harbour at dawn');
    await waitFor(() => expect(generate().getAttribute('aria-disabled')).toBe('false'));
    fireEvent.click(generate());
    await screen.findByText(/Submitted as task/);
    expect(api.bodies[0]).toMatchObject({ multi_shot: true, shot_type: 'intelligence' });
    expect(api.bodies[0]).not.toHaveProperty('multi_prompt');
    // Back to customize: the shots were kept.
    fireEvent.click(screen.getByRole('checkbox', { name: 'Let Kling plan the shots' }));
    expect(promptBox(3).value).toBe('Close-up on the sail');
  });

  it('takes up to three element ids, checks them, and explains they exclude voices', async () => {
    await openOnV3();
    expect(screen.getByText(/Elements cannot be combined with voices/)).toBeTruthy();
    const add = screen.getByRole('button', { name: 'Add element' }) as HTMLButtonElement;
    fireEvent.click(add);
    type(screen.getByRole('textbox', { name: 'Element 1 ID' }), '12ab');
    expect(
      (await screen.findAllByText(/^Elements \(element_list\[0\]\.element_id\)/)).length,
    ).toBeGreaterThan(0);
    type(screen.getByRole('textbox', { name: 'Element 1 ID' }), '829301');
    await waitFor(() => expect(screen.queryAllByText(/^Elements \(element_list\[0\]/)).toHaveLength(0));
    fireEvent.click(add);
    fireEvent.click(add);
    expect(add.disabled).toBe(true);
    expect(store().storyboard.elements).toEqual(['829301', '', '']);
    fireEvent.click(screen.getByRole('button', { name: 'Remove element 3' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove element 2' }));
    expect(store().storyboard.elements).toEqual(['829301']);
  });
});

describe('remix of a multi-shot task', { timeout: 20_000 }, () => {
  it('restores the shots, their lengths, the shot type and the elements', async () => {
    const inputs: TaskInputs = {
      kind: 'image2video',
      request: {
        model_name: 'kling-v3',
        mode: 'pro',
        duration: '12',
        image: encodeBase64(pngImage(640, 360)),
        multi_shot: true,
        shot_type: 'customize',
        multi_prompt: [
          { index: 1, prompt: 'wide', duration: '4' },
          { index: 2, prompt: 'close', duration: '5' },
          { index: 3, prompt: 'pan', duration: '3' },
        ],
        element_list: [{ element_id: 42 }],
      },
      images: {
        image: {
          url: '/api/tasks/t1/inputs/image',
          format: 'png',
          width: 640,
          height: 360,
          bytes: 1,
          source: 'base64',
        },
      },
    };
    renderWithQuery(<Studio />);
    await screen.findByRole('button', { name: 'Generate' });
    await act(() => remixIntoStudio(inputs));
    await screen.findByRole('region', { name: 'Storyboard' }, LAZY);
    expect((screen.getByRole('switch', { name: 'Multi-shot' }) as HTMLInputElement).checked).toBe(true);
    expect([1, 2, 3].map((n) => [promptBox(n).value, lengthBox(n).value])).toEqual([
      ['wide', '4'],
      ['close', '5'],
      ['pan', '3'],
    ]);
    expect(
      (screen.getByRole('checkbox', { name: 'Let Kling plan the shots' }) as HTMLInputElement).checked,
    ).toBe(false);
    expect((screen.getByRole('textbox', { name: 'Element 1 ID' }) as HTMLInputElement).value).toBe('42');
    expect(within(board()).getByRole('status').textContent).toBe('Shots: 12 s of 12 s');
  });
});
