import { beforeEach, describe, expect, it } from 'vitest';
import { pngFrame } from '../testing/draft.ts';
import { defaultDraft, ZERO_CAMERA } from './default-draft.ts';
import { draftOf, useEditorStore } from './editor-store.ts';

const store = () => useEditorStore.getState();

beforeEach(() => store().resetDraft());

describe('camera sliders', () => {
  it('keep exactly one non-zero axis: moving one resets the others', () => {
    store().setCameraAxis('pan', 5);
    expect(store().camera.config).toEqual({ ...ZERO_CAMERA, pan: 5 });
    store().setCameraAxis('zoom', -3);
    expect(store().camera.config).toEqual({ ...ZERO_CAMERA, zoom: -3 });
    store().setCameraAxis('zoom', 0);
    expect(store().camera.config).toEqual(ZERO_CAMERA);
  });

  it('keep the type apart from the axes', () => {
    store().setCameraAxis('roll', 2);
    store().setCameraType('forward_up');
    expect(store().camera).toEqual({ type: 'forward_up', config: { ...ZERO_CAMERA, roll: 2 } });
    store().resetCamera();
    expect(store().camera.config).toEqual(ZERO_CAMERA);
  });
});

describe('settings', () => {
  it('settles mode and duration when a model cannot carry them', () => {
    store().setMotionTab('camera');
    store().setDuration('10');
    store().setModel('kling-v1-5');
    expect([store().model, store().mode, store().duration]).toEqual(['kling-v1-5', 'pro', '5']);
  });

  it('applies a whole setup from an offer', () => {
    store().applySetup({ model: 'kling-v2-6', mode: 'pro', duration: '10' });
    expect([store().model, store().mode, store().duration]).toEqual(['kling-v2-6', 'pro', '10']);
    store().applySetup({ model: 'kling-v2-master', mode: undefined, duration: '5' });
    expect(store().mode).toBe('pro');
  });

  it('holds at most two voices', () => {
    store().addVoice();
    store().addVoice();
    store().addVoice();
    expect(store().voices).toEqual(['', '']);
    store().setVoice(1, 'narrator');
    store().removeVoice(0);
    expect(store().voices).toEqual(['narrator']);
  });
});

describe('frames', () => {
  it('swap start and end', () => {
    const a = pngFrame(640, 360, 'a.png');
    store().setFrame('start', a);
    store().swapFrames();
    expect(store().frames).toEqual({ start: null, end: a });
  });
});

describe('draftOf', () => {
  it('is exactly the data of the store', () => {
    expect(draftOf(store())).toEqual(defaultDraft());
  });
});
