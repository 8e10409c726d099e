/** Where a key press lands, as the editor's shortcuts see it. */
export interface KeyScope {
  /** The editor's root (role="application"). */
  editor: Element | null;
  /** The canvas host. */
  canvas: Element | null;
  /** The mouse or pen rests over the canvas (pointerenter … pointerleave). */
  pointerOverCanvas: boolean;
}

/** A field the key is typed into: text inputs, text areas, selects, contenteditable. */
export function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  return t instanceof HTMLInputElement && !['range', 'checkbox', 'radio', 'button', 'file'].includes(t.type);
}

/** Focus is in a dialog (the result viewer, Compare…) that the editor is not part of. */
function inOtherDialog(t: Element, editor: Element | null): boolean {
  const dialog = t.closest('dialog[open], [aria-modal="true"]');
  return !!dialog && !(editor && dialog.contains(editor));
}

/**
 * Whether a key belongs to the editor: focus is inside it, or — as in Photoshop and Kling — the pointer
 * rests over its canvas, wherever focus is. Never while typing into a field (the prompt keeps its own B,
 * E, Ctrl+Z…), nor while focus is in a dialog the editor is not in.
 */
export function keyIsEditors(target: EventTarget | null, scope: KeyScope): boolean {
  if (isTyping(target)) return false;
  const el = target instanceof Element ? target : null;
  if (el && inOtherDialog(el, scope.editor)) return false;
  if (el && scope.editor?.contains(el)) return true;
  return scope.pointerOverCanvas;
}

/**
 * Whether Space means "hold to pan": the canvas has focus or the pointer is over it. Anywhere else in the
 * editor, Space presses the focused button, as it does everywhere (keyboard users rely on it).
 */
export function spaceIsPan(target: EventTarget | null, scope: KeyScope): boolean {
  if (!keyIsEditors(target, scope)) return false;
  return scope.pointerOverCanvas || (!!scope.canvas && target === scope.canvas);
}
