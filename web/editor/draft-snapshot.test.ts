import { beforeEach, describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../contract/images/base64.ts';
import { pngImage } from '../../contract/testing/test-images.ts';
import { resetEditor } from '../testing/render.tsx';
import { defaultDraft } from './default-draft.ts';
import { draftHasWork, restoreDraftSnapshot, takeDraftSnapshot } from './draft-snapshot.ts';
import { draftOf, useEditorStore } from './editor-store.ts';
import { frameFromValue } from './load-draft.ts';

const store = () => useEditorStore.getState();

beforeEach(() => resetEditor());

describe('draftHasWork', () => {
  it('is false for a new draft and for settings alone', () => {
    expect(draftHasWork(defaultDraft())).toBe(false);
    expect(draftHasWork({ ...defaultDraft(), model: 'kling-v3', mode: 'pro', duration: '10' })).toBe(false);
    expect(draftHasWork({ ...defaultDraft(), prompt: '   ' })).toBe(false);
  });

  it.each([
    ['a start frame', { frames: { start: frameFromValue('https://example.com/a.png', 'a'), end: null } }],
    ['a prompt', { prompt: 'a cat' }],
    ['a negative prompt', { negativePrompt: 'blur' }],
    ['a voice', { voices: ['829'] }],
    [
      'a camera move',
      {
        camera: { type: 'simple', config: { horizontal: 0, vertical: 0, pan: 4, tilt: 0, roll: 0, zoom: 0 } },
      },
    ],
    [
      'a storyboard shot with words',
      {
        storyboard: {
          enabled: true,
          shotType: 'customize',
          shots: [{ id: 's', prompt: 'x', seconds: 5 }],
          elements: [],
        },
      },
    ],
  ] as const)('is true with %s', (_what, patch) => {
    expect(draftHasWork({ ...defaultDraft(), ...patch } as ReturnType<typeof defaultDraft>)).toBe(true);
  });
});

describe('takeDraftSnapshot / restoreDraftSnapshot', () => {
  it('puts the draft back exactly after it was replaced', () => {
    const picture = encodeBase64(pngImage(800, 600));
    store().setFrame('start', frameFromValue(picture, 'mine.png'));
    store().setModel('kling-v1-5');
    store().setMode('pro');
    store().setPrompt('my own words');
    store().setCameraAxis('zoom', 7);
    const before = draftOf(store());

    const snapshot = takeDraftSnapshot();
    store().replaceDraft({ ...defaultDraft(), prompt: 'a remixed task' });
    store().setPrompt('edited after the remix');
    expect(draftOf(store())).not.toEqual(before);

    restoreDraftSnapshot(snapshot);
    expect(draftOf(store())).toEqual(before);
    expect(store().frames.start).toMatchObject({ source: 'file', base64: picture, facts: { width: 800 } });
  });
});
