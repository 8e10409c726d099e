import { type RefObject, useEffect, useRef } from 'react';
import type { InputController } from '../canvas/input-controller.ts';
import { nudgeBrushSize, redo, selectDynamic, selectStatic, setTool, undo } from '../state/actions.ts';
import { type KeyScope, keyIsEditors, spaceIsPan } from './shortcut-target.ts';

interface ShortcutDeps {
  /** Shortcuts act only once the editor can be edited (hydrated, frame size known). */
  enabled: boolean;
  input: Pick<InputController, 'busy' | 'cancel' | 'deletePoint' | 'setSpace'>;
  preview: { playing: boolean; stop(): void };
  /** The canvas host: the pointer over it routes keys here; it is marked for the grab cursor. */
  host: RefObject<HTMLElement | null>;
  /** The editor's root: keys with focus inside it are the editor's. */
  root: RefObject<HTMLElement | null>;
}

/** Single keys, without modifiers; 1–6 pick the dynamic masks in list order. */
const KEYS: Record<string, (d: ShortcutDeps) => void> = {
  b: () => setTool('brush'),
  e: () => setTool('eraser'),
  t: () => setTool('trajectory'),
  h: () => setTool('hand'),
  s: () => selectStatic(),
  '[': () => nudgeBrushSize(-1),
  ']': () => nudgeBrushSize(1),
  escape: (d) => (d.preview.playing ? d.preview.stop() : d.input.cancel()),
  delete: (d) => d.input.deletePoint(),
  backspace: (d) => d.input.deletePoint(),
};
for (let n = 1; n <= 6; n++) KEYS[String(n)] = () => selectDynamic(n);

/**
 * The editor's keyboard: undo/redo (Ctrl/⌘+Z, Shift+Z or Y — not while a stroke is in progress), tool
 * and mask keys, Space held to pan. Listened for on the document, so they work with focus in the editor
 * or with the pointer over the canvas and focus anywhere else (a Zoom button just clicked, the page) —
 * see `keyIsEditors`. Keys typed into a field, or already handled by something else, are left alone.
 */
export function useEditorShortcuts(deps: ShortcutDeps): void {
  // The listeners read the latest deps, so they are bound once.
  const latest = useRef(deps);
  latest.current = deps;
  useEffect(() => {
    const host = latest.current.host.current;
    let over = false;
    let spaceHeld = false;
    const scope = (): KeyScope => ({
      editor: latest.current.root.current,
      canvas: latest.current.host.current,
      pointerOverCanvas: over,
    });
    const releaseSpace = () => {
      if (!spaceHeld) return;
      spaceHeld = false;
      latest.current.input.setSpace(false);
      if (host) delete host.dataset.space;
    };

    const onKeyDown = (e: KeyboardEvent) => {
      const d = latest.current;
      if (!d.enabled || e.defaultPrevented || e.isComposing || !keyIsEditors(e.target, scope())) return;
      const key = e.key.toLowerCase();
      const mod = e.ctrlKey || e.metaKey;
      if (mod && (key === 'z' || key === 'y')) {
        e.preventDefault();
        if (d.input.busy) return;
        if (key === 'y' || e.shiftKey) redo();
        else undo();
        return;
      }
      if (mod || e.altKey) return;
      if (key === ' ') {
        if (!spaceHeld && !spaceIsPan(e.target, scope())) return;
        // Also keeps a focused button from being pressed and the page from scrolling.
        e.preventDefault();
        if (spaceHeld) return;
        spaceHeld = true;
        d.input.setSpace(true);
        if (host) host.dataset.space = 'true';
        return;
      }
      const act = KEYS[key];
      if (!act) return;
      e.preventDefault();
      act(d);
    };
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.key !== ' ' || !spaceHeld) return;
      // A button focused while Space was held for panning would otherwise be pressed on release.
      e.preventDefault();
      releaseSpace();
    };
    const enter = () => {
      over = true;
    };
    const leave = () => {
      over = false;
    };
    // Keys held while the window loses focus never send their keyup here.
    const blur = () => {
      releaseSpace();
      over = false;
    };

    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', blur);
    // pointermove too: the pointer may already rest on the canvas when the editor appears (no enter).
    host?.addEventListener('pointerenter', enter);
    host?.addEventListener('pointermove', enter);
    host?.addEventListener('pointerleave', leave);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', blur);
      host?.removeEventListener('pointerenter', enter);
      host?.removeEventListener('pointermove', enter);
      host?.removeEventListener('pointerleave', leave);
      releaseSpace();
    };
  }, []);
}
