import { type KeyboardEvent, type RefObject, useRef } from 'react';
import type { InputController } from '../canvas/input-controller.ts';
import { nudgeBrushSize, redo, selectDynamic, selectStatic, setTool, undo } from '../state/actions.ts';

interface ShortcutDeps {
  /** Shortcuts act only once the editor can be edited (hydrated, frame size known). */
  enabled: boolean;
  input: Pick<InputController, 'busy' | 'cancel' | 'deletePoint' | 'setSpace'>;
  preview: { playing: boolean; stop(): void };
  /** The canvas host: Space pans only when it has focus, and marks it for the grab cursor. */
  host: RefObject<HTMLElement | null>;
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

function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  return t instanceof HTMLInputElement && !['range', 'checkbox', 'radio', 'button', 'file'].includes(t.type);
}

/**
 * The editor's keyboard: undo/redo (Ctrl/⌘+Z, Shift+Z or Y — not while a stroke is in progress), tool
 * and mask keys, Space held to pan. Keys typed into a field are left alone.
 */
export function useEditorShortcuts(deps: ShortcutDeps) {
  // The handlers read the latest deps, so they need not be rebuilt (or re-bound) on every render.
  const latest = useRef(deps);
  latest.current = deps;
  const handlers = useRef({
    onKeyDown(e: KeyboardEvent<HTMLElement>) {
      const d = latest.current;
      if (!d.enabled || isTyping(e.target)) return;
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
      const host = d.host.current;
      if (key === ' ' && host && e.target === host) {
        e.preventDefault();
        d.input.setSpace(true);
        host.dataset.space = 'true';
        return;
      }
      const act = KEYS[key];
      if (!act) return;
      e.preventDefault();
      act(d);
    },
    onKeyUp(e: KeyboardEvent<HTMLElement>) {
      if (e.key !== ' ') return;
      const d = latest.current;
      d.input.setSpace(false);
      if (d.host.current) delete d.host.current.dataset.space;
    },
  });
  return handlers.current;
}
