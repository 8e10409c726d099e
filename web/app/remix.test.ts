import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeBase64 } from '../../contract/images/base64.ts';
import type { TaskInputs } from '../../contract/schemas/studio-api.ts';
import { pngImage } from '../../contract/testing/test-images.ts';
import { syntheticVideo } from '../../contract/testing/test-videos.ts';
import { useEditorStore } from '../editor/editor-store.ts';
import { resetClip } from '../features/reference-video/clip-pipeline.ts';
import { useClipStore } from '../features/reference-video/clip-state.ts';
import { FakeXhr, uploadAnswer } from '../testing/fake-xhr.ts';
import { resetEditor } from '../testing/render.tsx';
import { remixIntoStudio } from './remix.ts';

const picture = encodeBase64(pngImage(800, 600));
const clip = syntheticVideo({ width: 480, height: 360, durationMs: 4000, audio: true });
const reference = {
  url: '/api/tasks/mc-1/reference',
  format: 'mp4',
  width: 480,
  height: 360,
  bytes: clip.length,
  durationMs: 4000,
  source: 'upload',
} as const;

const inputs: TaskInputs = {
  kind: 'motion-control',
  request: {
    model_name: 'kling-v3',
    mode: 'pro',
    image_url: picture,
    video_url: 'upload:old-0000001',
    character_orientation: 'video',
    keep_original_sound: 'no',
    prompt: 'a dancer in the rain',
  },
  images: {},
  reference,
};

beforeEach(() => {
  resetEditor();
  resetClip();
  FakeXhr.reset();
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
});
afterEach(() => vi.unstubAllGlobals());

describe('remix of a motion-control task', () => {
  it('restores picture and settings on the Reference video tab and uploads the stored reference again', async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(String(url));
      return new Response(clip as Uint8Array<ArrayBuffer>, {
        status: 200,
        headers: { 'Content-Type': 'video/mp4' },
      });
    });
    useEditorStore.getState().setPrompt('something else');
    const done = remixIntoStudio(inputs);
    await vi.waitFor(() => expect(FakeXhr.sent).toHaveLength(1));
    expect(fetched).toEqual(['/api/tasks/mc-1/reference']);
    const xhr = FakeXhr.sent[0]!;
    expect([xhr.url, xhr.headers['content-type'], (xhr.body as Blob).size]).toEqual([
      '/api/uploads',
      'video/mp4',
      clip.length,
    ]);
    // The settings are back before the upload ends; the old ref is not reused.
    const s = useEditorStore.getState();
    expect(s.motionTab).toBe('reference');
    expect(s.reference).toEqual({
      model: 'kling-v3',
      mode: 'pro',
      orientation: 'video',
      keepSound: 'no',
      clip: null,
    });
    expect(s.prompt).toBe('a dancer in the rain');
    expect(s.frames.start).toMatchObject({
      source: 'file',
      base64: picture,
      facts: { width: 800, height: 600 },
    });
    expect(useClipStore.getState().phase.kind).toBe('uploading');

    xhr.respond(201, uploadAnswer('new-0000001', { ...reference }));
    await done;
    expect(useEditorStore.getState().reference.clip).toMatchObject({
      upload: { ref: 'upload:new-0000001', durationMs: 4000 },
      hasAudio: true,
    });
  });

  it('says so when the stored reference cannot be read', async () => {
    vi.stubGlobal('fetch', async () => new Response('gone', { status: 404 }));
    await expect(remixIntoStudio(inputs)).rejects.toThrow(/could not be read \(the studio answered 404\)/);
    expect(FakeXhr.sent).toHaveLength(0);
  });
});
