import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeBase64 } from '../../contract/images/base64.ts';
import type { TaskInputs } from '../../contract/schemas/studio-api.ts';
import { pngImage } from '../../contract/testing/test-images.ts';
import { syntheticVideo } from '../../contract/testing/test-videos.ts';
import { useNotices } from '../components/notices.tsx';
import { draftOf, useEditorStore } from '../editor/editor-store.ts';
import { frameFromValue } from '../editor/load-draft.ts';
import {
  addDynamicMask,
  beginStroke,
  commitPath,
  resetMotionBrush,
  setImageSize,
} from '../features/motion-brush/state/actions.ts';
import { getBitmap } from '../features/motion-brush/state/bitmaps.ts';
import { useMotionBrushStore } from '../features/motion-brush/state/store.ts';
import { resetClip } from '../features/reference-video/clip-pipeline.ts';
import { useClipStore } from '../features/reference-video/clip-state.ts';
import { FakeXhr, uploadAnswer } from '../testing/fake-xhr.ts';
import { resetEditor } from '../testing/render.tsx';
import { REMIX_LOADED, REMIX_REPLACED, remixIntoStudio } from './remix.ts';

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
  resetMotionBrush();
  useNotices.setState({ notices: [] });
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

describe('remix over a draft with work', () => {
  const remixed: TaskInputs = {
    kind: 'image2video',
    request: {
      model_name: 'kling-v2-6',
      mode: 'pro',
      image: encodeBase64(pngImage(640, 360)),
      prompt: 'remixed',
    },
    images: {
      image: {
        url: '/api/tasks/t/inputs/image',
        format: 'png',
        width: 640,
        height: 360,
        bytes: 1,
        source: 'base64',
      },
    },
  };

  /** The brush's masks as data: entries, and each bitmap's pixels. */
  const brushState = () => {
    const s = useMotionBrushStore.getState();
    return {
      imageSize: s.imageSize,
      selectedId: s.selectedId,
      masks: s.masks.map((m) => ({ ...m, pixels: Array.from(getBitmap(m.id)?.data ?? []) })),
    };
  };

  it('replaces the draft, says so, and Restore my draft brings back the draft and its masks exactly', async () => {
    const store = useEditorStore.getState();
    store.setFrame('start', frameFromValue(encodeBase64(pngImage(800, 600)), 'mine.png'));
    store.setModel('kling-v1');
    store.setPrompt('my own words');
    store.setMotionTab('brush');
    setImageSize({ width: 800, height: 600 });
    const maskId = addDynamicMask()!;
    const stroke = beginStroke('paint', { x: 100, y: 100 })!;
    stroke.segment({ x: 100, y: 100 }, { x: 300, y: 200 });
    stroke.commit();
    commitPath(
      maskId,
      [],
      [
        { x: 150, y: 150 },
        { x: 500, y: 400 },
      ],
    );
    const draftBefore = draftOf(useEditorStore.getState());
    const brushBefore = brushState();
    expect(brushBefore.masks[0]?.pixels.some((v) => v === 255)).toBe(true);

    await remixIntoStudio(remixed);
    expect(useEditorStore.getState()).toMatchObject({ prompt: 'remixed', model: 'kling-v2-6', mode: 'pro' });
    expect(useMotionBrushStore.getState()).toMatchObject({
      masks: [],
      imageSize: { width: 640, height: 360 },
    });
    const notice = useNotices.getState().notices.at(-1)!;
    expect(notice).toMatchObject({ message: REMIX_REPLACED, undoLabel: 'Restore my draft' });

    notice.undo!();
    await vi.waitFor(() => expect(useEditorStore.getState().prompt).toBe('my own words'));
    expect(draftOf(useEditorStore.getState())).toEqual(draftBefore);
    expect(brushState()).toEqual(brushBefore);
  });

  it('says what it loaded, without an Undo, when the draft held no work', async () => {
    await remixIntoStudio(remixed);
    expect(useEditorStore.getState().prompt).toBe('remixed');
    const notices = useNotices.getState().notices;
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ message: REMIX_LOADED });
    expect(notices[0]?.undo).toBeUndefined();
  });
});
