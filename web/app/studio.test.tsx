import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pngImage } from '../../contract/testing/test-images.ts';
import { ZERO_CAMERA } from '../editor/default-draft.ts';
import { useEditorStore } from '../editor/editor-store.ts';
import { renderWithQuery, resetEditor, stubTasksApi } from '../testing/render.tsx';
import { Studio } from './studio.tsx';

const task = {
  id: 't1',
  kind: 'image2video',
  shots: null,
  price: null,
  externalTaskId: 'e1',
  klingTaskId: null,
  status: 'submitted',
  statusMessage: null,
  model: 'kling-v1-5',
  mode: 'pro',
  duration: '5',
  motion: 'camera',
  prompt: '',
  units: null,
  createdAt: 1,
  updatedAt: 1,
  finishedAt: null,
  video: null,
  thumbnailUrl: null,
};

async function uploadStart(width = 640, height = 360) {
  const file = new File([pngImage(width, height) as Uint8Array<ArrayBuffer>], 'start.png', {
    type: 'image/png',
  });
  fireEvent.change(screen.getByLabelText('Start frame'), { target: { files: [file] } });
  await screen.findByText(`${width} × ${height} px`);
}

const generate = () => screen.getByRole('button', { name: 'Generate' });

beforeEach(resetEditor);
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('composer', () => {
  it('keeps Generate off and says why', async () => {
    renderWithQuery(<Studio />);
    await screen.findByRole('button', { name: 'Generate' });
    expect(generate().getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByText('Start frame (image): a start frame is required')).toBeTruthy();
  });

  it('refuses a tiny start frame with the rule and its value, keeping the draft as it was', async () => {
    renderWithQuery(<Studio />);
    const file = new File([pngImage(120, 90) as Uint8Array<ArrayBuffer>], 'tiny.png');
    fireEvent.change(await screen.findByLabelText('Start frame'), { target: { files: [file] } });
    const alert = await screen.findByText(/120×90 px is below the 300 px minimum/);
    expect(alert.textContent).toBe(
      'Start frame (image): 120×90 px is below the 300 px minimum for each side',
    );
    expect(useEditorStore.getState().frames.start).toBeNull();
  });

  it('camera journey: switch model from the offer, move one axis, generate exactly that config', async () => {
    const api = stubTasksApi({ status: 201, body: { task } });
    vi.stubGlobal('fetch', api.fetch);
    renderWithQuery(<Studio />);
    await uploadStart();
    fireEvent.click(screen.getByRole('tab', { name: 'Camera' }));
    // Unsupported model options are disabled with their reason.
    const v1 = within(screen.getByLabelText('Model')).getByRole('option', {
      name: /^Kling 1\.0 /,
    }) as HTMLOptionElement;
    expect(v1.textContent).toContain('no camera control');
    fireEvent.click(screen.getByRole('button', { name: 'Switch to Kling 1.5 · Pro · 5 s' }));
    expect((screen.getByLabelText('Model') as HTMLSelectElement).value).toBe('kling-v1-5');
    expect((screen.getByRole('option', { name: /^Kling 1\.0 / }) as HTMLOptionElement).disabled).toBe(true);

    fireEvent.change(screen.getByRole('slider', { name: 'Zoom' }), { target: { value: '3' } });
    fireEvent.change(screen.getByRole('slider', { name: 'Pan' }), { target: { value: '-4' } });
    expect((screen.getByRole('slider', { name: 'Zoom' }) as HTMLInputElement).value).toBe('0');
    expect(screen.getByText(/Pan moved, so Zoom went back to 0/)).toBeTruthy();

    await waitFor(() => expect(generate().getAttribute('aria-disabled')).toBe('false'));
    fireEvent.click(generate());
    await screen.findByText(/Submitted as task/);
    expect(api.bodies).toHaveLength(1);
    expect(api.bodies[0]).toMatchObject({
      model_name: 'kling-v1-5',
      mode: 'pro',
      duration: '5',
      camera_control: { type: 'simple', config: { ...ZERO_CAMERA, pan: -4 } },
    });
    expect(api.bodies[0]).not.toHaveProperty('image_tail');
  });

  it('shows backend issues beside their field and keeps everything after a failed submit', async () => {
    const issue = {
      field: 'prompt',
      rule: 'content_policy',
      message: 'Prompt: refused by the content policy',
    };
    const api = stubTasksApi({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'Refused', issues: [issue] } },
    });
    vi.stubGlobal('fetch', api.fetch);
    renderWithQuery(<Studio />);
    await uploadStart();
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'a calm lake' } });
    await waitFor(() => expect(generate().getAttribute('aria-disabled')).toBe('false'));
    fireEvent.click(generate());
    const beside = await screen.findByText('Prompt: refused by the content policy');
    // Beside the prompt: in the same field block as the textarea.
    expect(beside.closest('.field')?.querySelector('textarea')).toBe(screen.getByLabelText('Prompt'));
    expect(screen.getByText(/Nothing was lost/)).toBeTruthy();
    expect(useEditorStore.getState().prompt).toBe('a calm lake');
    expect(useEditorStore.getState().frames.start).not.toBeNull();
    // Editing makes the old answer stale.
    act(() => {
      useEditorStore.getState().setPrompt('a calm lake at dawn');
    });
    await waitFor(() => expect(screen.queryByText('Prompt: refused by the content policy')).toBeNull());
  });

  it('inserts a voice reference at the caret', async () => {
    renderWithQuery(<Studio />);
    await screen.findByRole('button', { name: 'Generate' });
    act(() => {
      useEditorStore.getState().applySetup({ model: 'kling-v2-6', mode: 'pro', duration: '5' });
    });
    const prompt = screen.getByLabelText('Prompt') as HTMLTextAreaElement;
    fireEvent.change(prompt, { target: { value: 'She says hello' } });
    prompt.setSelectionRange(4, 4);
    fireEvent.click(screen.getByRole('button', { name: 'Add voice' }));
    expect(useEditorStore.getState().sound).toBe('on');
    fireEvent.click(screen.getByRole('button', { name: 'Insert voice 1' }));
    expect(useEditorStore.getState().prompt).toBe('She <<<voice_1>>>says hello');
  });

  it('flags a voice reference with no voice, beside the prompt', async () => {
    renderWithQuery(<Studio />);
    await screen.findByRole('button', { name: 'Generate' });
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'Hi <<<voice_2>>>' } });
    const msgs = await screen.findAllByText(/<<<voice_2>>> refers to voice 2, but no voice is set/);
    expect(msgs.length).toBe(2); // beside the prompt and in Generate's reasons
  });
});
