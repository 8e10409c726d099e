/** The parts of a keydown that decide whether it means "Generate". */
export interface ShortcutKey {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  repeat: boolean;
  isComposing?: boolean;
}

/**
 * Ctrl+Enter (Cmd+Enter on a Mac), the shortcut Kling's and most AI tools' prompt boxes use. Not while an
 * input method is composing (its Enter commits the text), not when held down (one press, one task), and
 * not with Shift or Alt, which other tools give other meanings.
 */
export function isGenerateShortcut(e: ShortcutKey): boolean {
  return (
    e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && !e.repeat && !e.isComposing
  );
}

/** A dialog has the keyboard to itself: the shortcut never reaches past one (Result viewer, a confirm). */
export function insideDialog(target: EventTarget | null): boolean {
  return target instanceof Element && !!target.closest('dialog, [role="dialog"], [role="alertdialog"]');
}
