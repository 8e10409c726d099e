import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pngImage } from '../../contract/testing/test-images.ts';
import { syntheticVideo } from '../../contract/testing/test-videos.ts';
import { useEditorStore } from '../editor/editor-store.ts';
import { resetClip } from '../features/reference-video/clip-pipeline.ts';
import { FakeXhr, uploadAnswer } from '../testing/fake-xhr.ts';
import { renderWithQuery, resetEditor } from '../testing/render.tsx';
import { makeTask } from '../testing/task-fixture.ts';
import { Studio } from './studio.tsx';

/** A fetch stub: answers POST /api/motion-control as told, records every call, lists no tasks. */
function stubApi(answer: { status: number; body: unknown } = { status: 201, body: { task: created } }) {
  const calls: { url: string; method: string; body?: unknown }[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    const u = String(url);
    const method = init?.method ?? 'GET';
    calls.push({ url: u, method, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    if (u.endsWith('/api/motion-control') && method === 'POST')
      return new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'Content-Type': 'application/json' },
      });
    return new Response(JSON.stringify({ tasks: [], pageSize: 20, nextCursor: null }), { status: 200 });
  };
  return { fetch, calls, posts: () => calls.filter((c) => c.method === 'POST') };
}

const created = makeTask({
  id: 'mc-1',
  kind: 'motion-control',
  model: 'kling-v2-6',
  motion: 'reference',
  duration: '4',
});

const FOUR_S = { width: 480, height: 360, durationMs: 4000, audio: true } as const;

function clipFile(spec: Parameters<typeof syntheticVideo>[0], name = 'dance.mp4') {
  return new File([syntheticVideo(spec) as Uint8Array<ArrayBuffer>], name, { type: 'video/mp4' });
}

const generate = () => screen.getByRole('button', { name: 'Generate' });
const reasons = () => document.querySelector('.reasons')?.textContent ?? '';
/** The file input: the tab of the same name is a button, so the lookup is narrowed to inputs. */
const clipInput = () => screen.getByLabelText('Reference video', { selector: 'input' });

async function openTab() {
  renderWithQuery(<Studio />);
  fireEvent.click(await screen.findByRole('tab', { name: 'Reference video' }));
  await screen.findByRole('radiogroup', { name: 'Character orientation' });
}

async function addStart() {
  const file = new File([pngImage(640, 360) as Uint8Array<ArrayBuffer>], 'hero.png', { type: 'image/png' });
  fireEvent.change(screen.getByLabelText('Start frame'), { target: { files: [file] } });
  await screen.findByText('640 × 360 px');
}

/** Picks a clip and answers its upload (after one progress event at half way). */
async function addClip(spec: Parameters<typeof syntheticVideo>[0] = FOUR_S, id = 'up-00000001') {
  const file = clipFile(spec);
  fireEvent.change(clipInput(), { target: { files: [file] } });
  await waitFor(() => expect(FakeXhr.sent).toHaveLength(1));
  const xhr = FakeXhr.sent[0]!;
  act(() => xhr.progress(file.size / 2, file.size));
  await screen.findByText('50 %');
  act(() =>
    xhr.respond(
      201,
      uploadAnswer(id, {
        format: 'mp4',
        bytes: file.size,
        width: spec?.width ?? 1280,
        height: spec?.height ?? 720,
        durationMs: spec?.durationMs ?? 5000,
      }),
    ),
  );
  await screen.findByText('uploaded');
  return { file, xhr };
}

beforeEach(() => {
  resetEditor();
  resetClip();
  FakeXhr.reset();
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('Reference video tab', () => {
  it('refuses a renamed PNG in the contract words before anything is sent', async () => {
    const api = stubApi();
    vi.stubGlobal('fetch', api.fetch);
    await openTab();
    const fake = new File([pngImage(640, 360) as Uint8Array<ArrayBuffer>], 'clip.mp4', { type: 'video/mp4' });
    fireEvent.change(clipInput(), { target: { files: [fake] } });
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText(/^Reference video \(video_url\)/).textContent).toBe(
      'Reference video (video_url): must be an MP4 or MOV video, but this is a PNG image',
    );
    expect(FakeXhr.sent).toHaveLength(0);
    expect(api.calls.filter((c) => c.url.includes('/api/uploads'))).toEqual([]);
    expect(useEditorStore.getState().reference.clip).toBeNull();
  });

  it('names every rule a clip breaks (too small, too short) and uploads nothing', async () => {
    vi.stubGlobal('fetch', stubApi().fetch);
    await openTab();
    fireEvent.change(clipInput(), {
      target: { files: [clipFile({ width: 320, height: 240, durationMs: 2000 })] },
    });
    await screen.findByText(/320×240 px is below the 340 px minimum for each side/);
    expect(screen.getByText(/2 s is shorter than the 3 s minimum/)).toBeTruthy();
    expect(FakeXhr.sent).toHaveLength(0);
  });

  it('uploads a good clip with progress, keeps its ref, and prices it by its length', async () => {
    vi.stubGlobal('fetch', stubApi().fetch);
    await openTab();
    await addStart();
    const file = clipFile(FOUR_S);
    fireEvent.change(clipInput(), { target: { files: [file] } });
    await waitFor(() => expect(FakeXhr.sent).toHaveLength(1));
    const xhr = FakeXhr.sent[0]!;
    expect([xhr.method, xhr.url, xhr.headers['content-type'], xhr.body]).toEqual([
      'POST',
      '/api/uploads',
      'video/mp4',
      file,
    ]);
    act(() => xhr.progress(file.size * 0.3, file.size));
    const bar = await screen.findByRole('progressbar', { name: 'Uploading the reference video' });
    expect(bar.getAttribute('value')).toBe('30');
    expect(screen.getByText('30 %')).toBeTruthy();
    // Generate waits for the upload, and says so.
    expect(generate().getAttribute('aria-disabled')).toBe('true');
    expect(reasons()).toContain('Reference video (video_url): still uploading (30 %)');
    // The browser's facts price the clip already: 4 s × 0.5 (kling-v2-6 std).
    expect(screen.getByText('4 s × 0.5 units/s = 2 units (≈ $0.28)')).toBeTruthy();

    act(() =>
      xhr.respond(
        201,
        uploadAnswer('up-00000001', {
          format: 'mp4',
          bytes: file.size,
          width: 480,
          height: 360,
          durationMs: 4000,
        }),
      ),
    );
    await waitFor(() => expect(generate().getAttribute('aria-disabled')).toBe('false'));
    expect(useEditorStore.getState().reference.clip).toMatchObject({
      upload: { ref: 'upload:up-00000001', durationMs: 4000 },
      name: 'dance.mp4',
      hasAudio: true,
    });
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByText('480 × 360 px')).toBeTruthy();
    expect(screen.getByText('with sound')).toBeTruthy();

    // Pro costs more, and the line follows.
    fireEvent.change(screen.getByLabelText('Mode'), { target: { value: 'pro' } });
    expect(screen.getByText('4 s × 0.8 units/s = 3.2 units (≈ $0.45)')).toBeTruthy();
  });

  it('shows the upload refusal in the backend words, and uploads again on request', async () => {
    vi.stubGlobal('fetch', stubApi().fetch);
    await openTab();
    fireEvent.change(clipInput(), { target: { files: [clipFile(FOUR_S)] } });
    await waitFor(() => expect(FakeXhr.sent).toHaveLength(1));
    const message = 'Reference video (video_url): the video header is damaged or has no picture track';
    act(() =>
      FakeXhr.sent[0]!.respond(400, {
        error: {
          code: 'invalid_video',
          message: 'The video was refused',
          issues: [{ field: 'video_url', rule: 'video_unreadable', message }],
        },
      }),
    );
    await screen.findByText('The upload was refused: The video was refused');
    expect(screen.getByText(message)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Upload again' }));
    await waitFor(() => expect(FakeXhr.sent).toHaveLength(2));
  });

  it('an 11 s clip needs "Match the video": refused with "Match the picture", accepted with it', async () => {
    vi.stubGlobal('fetch', stubApi().fetch);
    await openTab();
    await addStart();
    await addClip({ width: 480, height: 360, durationMs: 11_000 });
    expect(screen.getByRole('radio', { name: 'Match the picture' })).toHaveProperty('checked', true);
    const tooLong =
      'Reference video (video_url): 11 s is longer than 10 s, the limit when the character keeps the picture\'s orientation ("Match the picture"); "Match the video" allows up to 30 s';
    expect(reasons()).toContain(tooLong);
    expect(generate().getAttribute('aria-disabled')).toBe('true');

    fireEvent.click(screen.getByRole('radio', { name: 'Match the video' }));
    await waitFor(() => expect(generate().getAttribute('aria-disabled')).toBe('false'));
    expect(reasons()).toBe('');
    expect(useEditorStore.getState().reference.orientation).toBe('video');
  });

  it('Generate posts the motion-control body: the picture, the ref, the orientation, the sound, the prompt', async () => {
    const api = stubApi();
    vi.stubGlobal('fetch', api.fetch);
    await openTab();
    await addStart();
    await addClip();
    fireEvent.click(screen.getByRole('radio', { name: 'Match the video' }));
    fireEvent.click(screen.getByRole('switch', { name: "Keep the video's sound" }));
    fireEvent.change(screen.getByLabelText('Model'), { target: { value: 'kling-v3' } });
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'on a beach at dusk' } });
    expect(screen.queryByLabelText('Duration')).toBeNull();
    expect(screen.queryByLabelText('Negative prompt')).toBeNull();
    await waitFor(() => expect(generate().getAttribute('aria-disabled')).toBe('false'));
    fireEvent.click(generate());
    await screen.findByText(/Submitted as task/);

    const [post] = api.posts();
    expect(post?.url).toBe('/api/motion-control');
    const start = useEditorStore.getState().frames.start;
    expect(post?.body).toEqual({
      model_name: 'kling-v3',
      mode: 'std',
      image_url: start?.source === 'file' ? start.base64 : undefined,
      video_url: 'upload:up-00000001',
      character_orientation: 'video',
      keep_original_sound: 'no',
      prompt: 'on a beach at dusk',
      external_task_id: expect.stringMatching(/^ms-[0-9a-f-]{36}$/),
    });
  });

  it('a refused Generate keeps every input and shows each issue beside its input', async () => {
    const orientation = {
      field: 'character_orientation',
      rule: 'upstream_refused',
      message: 'Character orientation (character_orientation): Kling refused it for this clip',
    };
    const picture = {
      field: 'image_url',
      rule: 'image_unusable',
      message: 'Character picture (image_url): no person could be found in the picture',
    };
    vi.stubGlobal(
      'fetch',
      stubApi({
        status: 400,
        body: { error: { code: 'invalid_request', message: 'Refused', issues: [orientation, picture] } },
      }).fetch,
    );
    await openTab();
    await addStart();
    await addClip();
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'a dancer' } });
    await waitFor(() => expect(generate().getAttribute('aria-disabled')).toBe('false'));
    fireEvent.click(generate());

    const besideOrientation = await screen.findByText(orientation.message);
    expect(besideOrientation.closest('.field')?.querySelector('[role="radiogroup"]')).toBe(
      screen.getByRole('radiogroup', { name: 'Character orientation' }),
    );
    const besidePicture = screen.getByText(picture.message);
    expect(besidePicture.closest('.frame-picker')?.contains(screen.getByLabelText('Start frame'))).toBe(true);
    expect(screen.getByText(/Nothing was lost/)).toBeTruthy();
    const s = useEditorStore.getState();
    expect([s.prompt, s.frames.start?.id !== undefined, s.reference.clip?.upload.ref]).toEqual([
      'a dancer',
      true,
      'upload:up-00000001',
    ]);
  });

  it('an expired upload (upload_missing) asks for the video again and holds Generate', async () => {
    const missing = {
      field: 'video_url',
      rule: 'upload_missing',
      message:
        'Reference video (video_url): the uploaded video is no longer stored (uploads are kept for a limited time); add the video again',
    };
    vi.stubGlobal(
      'fetch',
      stubApi({
        status: 400,
        body: { error: { code: 'invalid_request', message: 'Refused', issues: [missing] } },
      }).fetch,
    );
    await openTab();
    await addStart();
    await addClip();
    await waitFor(() => expect(generate().getAttribute('aria-disabled')).toBe('false'));
    fireEvent.click(generate());
    await waitFor(() => expect(useEditorStore.getState().reference.clip).toBeNull());
    expect(screen.getAllByText(missing.message).length).toBeGreaterThan(0);
    expect(generate().getAttribute('aria-disabled')).toBe('true');
    // The file is still in hand: one click uploads it again.
    fireEvent.click(screen.getByRole('button', { name: 'Upload it again' }));
    await waitFor(() => expect(FakeXhr.sent).toHaveLength(2));
  });

  it('offers only the motion-control models, and none of the image-to-video fields', async () => {
    vi.stubGlobal('fetch', stubApi().fetch);
    act(() => {
      useEditorStore.getState().applySetup({ model: 'kling-v2-6', mode: 'pro', duration: '10' });
      useEditorStore.getState().setSound('on');
      useEditorStore.getState().setNegativePrompt('blur');
    });
    await openTab();
    expect(screen.queryByRole('switch', { name: 'Sound' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add voice' })).toBeNull();
    const model = screen.getByLabelText('Model') as HTMLSelectElement;
    expect([...model.options].map((o) => o.value)).toEqual(['kling-v2-6', 'kling-v3']);
  });
});
