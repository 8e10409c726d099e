import { renderHook } from '@testing-library/react';
import type { KeyboardEvent } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { addDynamicMask, beginStroke, resetMotionBrush, setImageSize } from '../state/actions.ts';
import { useMotionBrushStore } from '../state/store.ts';
import { useEditorShortcuts } from './use-editor-shortcuts.ts';

const state = () => useMotionBrushStore.getState();

function setup(enabled = true, playing = false) {
  const host = document.createElement('div');
  const input = { busy: false, cancel: vi.fn(), deletePoint: vi.fn(), setSpace: vi.fn() };
  const preview = { playing, stop: vi.fn() };
  const { result } = renderHook(() =>
    useEditorShortcuts({ enabled, input, preview, host: { current: host } }),
  );
  const key = (k: string, more: Partial<KeyboardEvent<HTMLElement>> = {}, target: EventTarget = host) => {
    const e = { key: k, target, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...more };
    const preventDefault = vi.fn();
    result.current.onKeyDown({ ...e, preventDefault } as unknown as KeyboardEvent<HTMLElement>);
    return preventDefault.mock.calls.length > 0;
  };
  const keyUp = (k: string) => result.current.onKeyUp({ key: k } as KeyboardEvent<HTMLElement>);
  return { host, input, preview, key, keyUp };
}

beforeEach(() => {
  resetMotionBrush();
  setImageSize({ width: 100, height: 100 });
});

describe('useEditorShortcuts', () => {
  it('switches tools and mask, and sizes the brush', () => {
    const { key } = setup();
    expect(key('e')).toBe(true);
    expect(state().tool).toBe('eraser');
    key('T');
    expect(state().tool).toBe('trajectory');
    const before = state().brushSize;
    key(']');
    expect(state().brushSize).toBeGreaterThan(before);
    const id = addDynamicMask();
    key('s');
    expect(state().selectedId).not.toBe(id);
    key('1');
    expect(state().selectedId).toBe(id);
  });

  it('undoes and redoes with Ctrl/⌘, but not in the middle of a stroke', () => {
    const { key, input } = setup();
    const id = addDynamicMask();
    const s = beginStroke('paint', { x: 10, y: 10 })!;
    s.segment({ x: 10, y: 10 }, { x: 40, y: 40 });
    s.commit();
    expect(state().masks.find((m) => m.id === id)?.painted).toBe(true);
    input.busy = true;
    key('z', { ctrlKey: true });
    expect(state().masks.find((m) => m.id === id)?.painted).toBe(true);
    input.busy = false;
    key('z', { metaKey: true });
    expect(state().masks.find((m) => m.id === id)?.painted).toBe(false);
    key('z', { ctrlKey: true, shiftKey: true });
    expect(state().masks.find((m) => m.id === id)?.painted).toBe(true);
  });

  it('Escape stops a playing preview, otherwise cancels the gesture; Delete removes a path point', () => {
    const playing = setup(true, true);
    playing.key('Escape');
    expect(playing.preview.stop).toHaveBeenCalled();
    expect(playing.input.cancel).not.toHaveBeenCalled();
    const idle = setup();
    idle.key('Escape');
    idle.key('Backspace');
    expect(idle.input.cancel).toHaveBeenCalled();
    expect(idle.input.deletePoint).toHaveBeenCalledOnce();
  });

  it('holds Space to pan only while the canvas has focus', () => {
    const { key, keyUp, host, input } = setup();
    expect(key(' ')).toBe(true);
    expect(input.setSpace).toHaveBeenCalledWith(true);
    expect(host.dataset.space).toBe('true');
    keyUp(' ');
    expect(input.setSpace).toHaveBeenLastCalledWith(false);
    expect(host.dataset.space).toBeUndefined();
    expect(key(' ', {}, document.body)).toBe(false);
  });

  it('leaves keys alone while typing in a field, or before the editor is ready', () => {
    const field = document.createElement('input');
    const { key } = setup();
    expect(key('e', {}, field)).toBe(false);
    expect(state().tool).toBe('brush');
    expect(setup(false).key('e')).toBe(false);
    expect(state().tool).toBe('brush');
  });
});
