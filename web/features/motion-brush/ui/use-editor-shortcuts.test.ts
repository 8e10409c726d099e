import { cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addDynamicMask, beginStroke, resetMotionBrush, setImageSize } from '../state/actions.ts';
import { useMotionBrushStore } from '../state/store.ts';
import { useEditorShortcuts } from './use-editor-shortcuts.ts';

const state = () => useMotionBrushStore.getState();

/**
 * The editor (a root holding the canvas host and a button) and, outside it, a button and a prompt field:
 * the page as the shortcuts see it. Keys are real KeyboardEvents dispatched where focus would be.
 */
function setup(enabled = true, playing = false) {
  const root = document.createElement('div');
  const host = document.createElement('div');
  const zoomIn = document.createElement('button');
  root.append(zoomIn, host);
  const outside = document.createElement('button');
  const prompt = document.createElement('textarea');
  document.body.append(root, outside, prompt);
  const input = { busy: false, cancel: vi.fn(), deletePoint: vi.fn(), setSpace: vi.fn() };
  const preview = { playing, stop: vi.fn() };
  const hook = renderHook(() =>
    useEditorShortcuts({ enabled, input, preview, host: { current: host }, root: { current: root } }),
  );
  const fire = (type: 'keydown' | 'keyup', key: string, target: Element, more: KeyboardEventInit = {}) => {
    const e = new KeyboardEvent(type, { key, bubbles: true, cancelable: true, ...more });
    target.dispatchEvent(e);
    return e.defaultPrevented;
  };
  const key = (k: string, more: KeyboardEventInit = {}, target: Element = host) =>
    fire('keydown', k, target, more);
  const keyUp = (k: string, target: Element = host) => fire('keyup', k, target);
  const pointer = (type: 'pointerenter' | 'pointerleave') => host.dispatchEvent(new Event(type));
  return { root, host, zoomIn, outside, prompt, input, preview, key, keyUp, pointer, hook };
}

beforeEach(() => {
  resetMotionBrush();
  setImageSize({ width: 100, height: 100 });
});
afterEach(() => {
  cleanup();
  document.body.replaceChildren();
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

  it('takes keys with the pointer over the canvas while focus is outside the editor, and not after it leaves', () => {
    const { key, outside, pointer } = setup();
    expect(key('e', {}, outside)).toBe(false);
    expect(state().tool).toBe('brush');
    pointer('pointerenter');
    expect(key('e', {}, outside)).toBe(true);
    expect(state().tool).toBe('eraser');
    expect(key('b', {}, document.body)).toBe(true);
    expect(state().tool).toBe('brush');
    pointer('pointerleave');
    expect(key('t', {}, outside)).toBe(false);
    expect(state().tool).toBe('brush');
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
    playing.hook.unmount();
    const idle = setup();
    idle.key('Escape');
    idle.key('Backspace');
    expect(idle.input.cancel).toHaveBeenCalled();
    expect(idle.input.deletePoint).toHaveBeenCalledOnce();
  });

  it('holds Space to pan with the canvas focused, and keeps the key from the page', () => {
    const { key, keyUp, host, input } = setup();
    expect(key(' ')).toBe(true);
    expect(input.setSpace).toHaveBeenCalledWith(true);
    expect(host.dataset.space).toBe('true');
    // Auto-repeat while held: still consumed, not re-armed.
    expect(key(' ', { repeat: true })).toBe(true);
    expect(input.setSpace).toHaveBeenCalledTimes(1);
    expect(keyUp(' ')).toBe(true);
    expect(input.setSpace).toHaveBeenLastCalledWith(false);
    expect(host.dataset.space).toBeUndefined();
  });

  it('holds Space to pan with the pointer over the canvas right after a Zoom button was clicked (focus on it), and the button is not pressed', () => {
    const { key, keyUp, zoomIn, outside, input, pointer } = setup();
    pointer('pointerenter');
    // Prevented keydown and keyup: a focused button is pressed only by an unprevented Space.
    expect(key(' ', {}, zoomIn)).toBe(true);
    expect(input.setSpace).toHaveBeenLastCalledWith(true);
    expect(keyUp(' ', zoomIn)).toBe(true);
    expect(input.setSpace).toHaveBeenLastCalledWith(false);
    expect(key(' ', {}, outside)).toBe(true);
    expect(input.setSpace).toHaveBeenLastCalledWith(true);
    keyUp(' ', outside);
  });

  it('leaves Space to a focused button when the pointer is elsewhere, and to the page', () => {
    const { key, keyUp, zoomIn, outside, input } = setup();
    expect(key(' ', {}, zoomIn)).toBe(false);
    expect(keyUp(' ', zoomIn)).toBe(false);
    expect(key(' ', {}, outside)).toBe(false);
    expect(key(' ', {}, document.body)).toBe(false);
    expect(input.setSpace).not.toHaveBeenCalled();
  });

  it('lets go of Space when the window loses focus (its keyup never comes)', () => {
    const { key, host, input } = setup();
    key(' ');
    window.dispatchEvent(new Event('blur'));
    expect(input.setSpace).toHaveBeenLastCalledWith(false);
    expect(host.dataset.space).toBeUndefined();
  });

  it('leaves keys alone while typing in a field (even with the pointer over the canvas), when handled already, or before the editor is ready', () => {
    const { key, prompt, pointer, hook } = setup();
    pointer('pointerenter');
    expect(key('e', {}, prompt)).toBe(false);
    expect(key(' ', {}, prompt)).toBe(false);
    expect(key('z', { ctrlKey: true }, prompt)).toBe(false);
    expect(state().tool).toBe('brush');
    // Something nearer the focus (a menu, the tabs) handled the key first.
    const menu = document.createElement('div');
    menu.addEventListener('keydown', (e) => e.preventDefault());
    document.body.append(menu);
    menu.dispatchEvent(new KeyboardEvent('keydown', { key: 'e', bubbles: true, cancelable: true }));
    expect(state().tool).toBe('brush');
    hook.unmount();
    expect(setup(false).key('e')).toBe(false);
    expect(state().tool).toBe('brush');
  });

  it('stops listening when unmounted', () => {
    const { key, hook } = setup();
    hook.unmount();
    expect(key('e')).toBe(false);
    expect(state().tool).toBe('brush');
  });
});
