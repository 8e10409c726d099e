import { beforeEach, describe, expect, it } from 'vitest';
import { useNotices } from '../components/notices.tsx';
import { pngFrame } from '../testing/draft.ts';
import { useEditorStore } from './editor-store.ts';
import { switchCostWords } from './gating.ts';
import { setNoticeRate, setupChangeWords } from './setup-change.ts';

const store = () => useEditorStore.getState();
const notices = () => useNotices.getState().notices;
const setup = () => [store().model, store().mode, store().duration];
const undoLast = () => {
  const n = notices().at(-1);
  expect(n?.undo).toBeTypeOf('function');
  // As the notices strip does: the Undo, then the notice closes.
  n!.undo!();
  useNotices.getState().dismiss(n!.id);
};

beforeEach(() => {
  store().resetDraft();
  setNoticeRate(0.14);
  useNotices.setState({ notices: [] });
});

describe('setupChangeWords', () => {
  it('says what changed, what it costs and why, in creator words', () => {
    const before = { model: 'kling-v2-6', mode: 'std', duration: '5' } as const;
    const after = { ...before, mode: 'pro' } as const;
    expect(
      setupChangeWords(
        { before, after, was: before, cause: { features: ['endFrame'] } },
        { sound: 'off', voices: [] },
      ),
    ).toBe("Switched to Pro (+1 unit, ≈ $0.14) because Kling 2.6 Standard can't do start & end frames");
  });

  it('names a picked model that lacks the length, and a whole new setup from an offer', () => {
    const was = { model: 'kling-v3', mode: 'pro', duration: '12' } as const;
    expect(
      setupChangeWords(
        {
          before: { model: 'kling-v2-6', mode: 'pro', duration: '12' },
          after: { model: 'kling-v2-6', mode: 'pro', duration: '10' },
          was,
          cause: { pickedModel: true, features: [] },
        },
        { sound: 'on', voices: [] },
      ),
    ).toBe("Switched to 10 s (−2.4 units, ≈ −$0.34) because Kling 2.6 doesn't offer 12 s");
    const from = { model: 'kling-v2-6', mode: 'std', duration: '5' } as const;
    expect(
      setupChangeWords(
        {
          before: from,
          after: { model: 'kling-v1-5', mode: 'pro', duration: '5' },
          was: from,
          cause: { features: ['camera'] },
        },
        { sound: 'off', voices: [] },
        0.2,
      ),
    ).toBe(
      "Switched to Kling 1.5 · Pro · 5 s (+2 units, ≈ $0.40) because Kling 2.6 · Standard · 5 s can't do camera control",
    );
  });
});

describe('forced switches in the store, each with Undo', () => {
  it('an end frame on Kling 2.6 Standard moves to Pro, says so, and Undo puts Standard back', () => {
    store().setFrame('start', pngFrame());
    expect(notices()).toEqual([]);
    store().setFrame('end', pngFrame());
    expect(setup()).toEqual(['kling-v2-6', 'pro', '5']);
    expect(notices().map((n) => n.message)).toEqual([
      "Switched to Pro (+1 unit, ≈ $0.14) because Kling 2.6 Standard can't do start & end frames",
    ]);
    undoLast();
    expect(setup()).toEqual(['kling-v2-6', 'std', '5']);
    // The creator's own choice (the end frame) stays; only the studio's change is undone.
    expect(store().frames.end).not.toBeNull();
    // Undo is not itself a forced change: nothing new is said.
    expect(notices()).toEqual([]);
  });

  it('a model that can carry the end frame as it is changes nothing and says nothing', () => {
    store().setModel('kling-v1');
    store().setFrame('end', pngFrame());
    expect(setup()).toEqual(['kling-v1', 'std', '5']);
    expect(notices()).toEqual([]);
  });

  it('a model with no end frames at all is left alone (the offer to switch models is shown instead)', () => {
    store().setModel('kling-v2-master');
    useNotices.setState({ notices: [] });
    store().setFrame('end', pngFrame());
    expect(store().model).toBe('kling-v2-master');
    expect(notices()).toEqual([]);
  });

  it('swapping a lone start frame into the end slot is a gained end frame too', () => {
    store().setFrame('start', pngFrame());
    store().swapFrames();
    expect(store().mode).toBe('pro');
    expect(notices()).toHaveLength(1);
  });

  it('picking a model without the length says so, and Undo restores the model, mode and length exactly', () => {
    store().applySetup({ model: 'kling-v3', mode: '4k', duration: '12' });
    expect(notices()).toEqual([]);
    store().setModel('kling-v2-6');
    expect(setup()).toEqual(['kling-v2-6', 'std', '10']);
    expect(notices().at(-1)?.message).toBe(
      "Switched to Standard · 10 s (−33 units, ≈ −$4.62) because Kling 2.6 doesn't offer 4K or 12 s",
    );
    undoLast();
    expect(setup()).toEqual(['kling-v3', '4k', '12']);
  });

  it('a picked model whose mode cannot carry the draft names the feature', () => {
    store().setModel('kling-v1');
    store().setFrame('end', pngFrame());
    useNotices.setState({ notices: [] });
    store().setModel('kling-v2-6');
    expect(setup()).toEqual(['kling-v2-6', 'pro', '5']);
    expect(notices().at(-1)?.message).toBe(
      "Switched to Pro (+1.5 units, ≈ $0.21) because Kling 2.6 Standard can't do start & end frames",
    );
  });

  it('a model that keeps the mode and length says nothing', () => {
    store().setModel('kling-v2-5-turbo');
    expect(notices()).toEqual([]);
  });

  it('"Switch to…" says what it did and what it costs; a plain applySetup (remix, tests) stays quiet', () => {
    store().applySetup({ model: 'kling-v1-5', mode: 'pro', duration: '5' }, 'camera');
    expect(notices().at(-1)?.message).toBe(
      "Switched to Kling 1.5 · Pro · 5 s (+2 units, ≈ $0.28) because Kling 2.6 · Standard · 5 s can't do camera control",
    );
    undoLast();
    expect(setup()).toEqual(['kling-v2-6', 'std', '5']);
    store().applySetup({ model: 'kling-v1-5', mode: 'pro', duration: '5' });
    expect(notices()).toEqual([]);
  });

  it('the offer says the price change before it is pressed', () => {
    expect(switchCostWords(store(), { model: 'kling-v1-5', mode: 'pro', duration: '5' })).toBe(
      '+2 units, ≈ $0.28',
    );
    expect(switchCostWords(store(), { model: 'kling-v2-6', mode: 'std', duration: '5' })).toBe('same price');
  });
});
