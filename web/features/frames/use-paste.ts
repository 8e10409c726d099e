import { useEffect, useRef } from 'react';
import type { FrameSlot } from '../../editor/draft-types.ts';
import { httpUrl } from './ingest.ts';

/** Inputs that take typed text: a paste there is the creator's text, never a picture for the studio. */
const TEXT_INPUT_TYPES = new Set(['', 'text', 'search', 'url', 'email', 'tel', 'password', 'number']);

export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('textarea, select, [contenteditable]:not([contenteditable="false"])')) return true;
  const input = target.closest('input');
  return !!input && TEXT_INPUT_TYPES.has((input.getAttribute('type') ?? '').toLowerCase());
}

/** The first picture on the clipboard (a copied image arrives as a file). */
export function pastedPicture(data: DataTransfer | null): File | undefined {
  if (!data) return undefined;
  const files = [...data.files];
  for (const item of data.items ?? []) {
    const f = item.kind === 'file' ? item.getAsFile() : null;
    if (f && !files.includes(f)) files.push(f);
  }
  return files.find((f) => f.type.startsWith('image/')) ?? files[0];
}

/** A pasted address: the first line of text/uri-list, or the text when it is one http(s) URL. */
export function pastedUrl(data: DataTransfer | null): string | undefined {
  if (!data) return undefined;
  const uriList = data
    .getData('text/uri-list')
    .split(/\r?\n/)
    .find((l) => l.trim() && !l.startsWith('#'));
  const text = (uriList ?? data.getData('text/plain')).trim();
  return /\s/.test(text) ? undefined : httpUrl(text);
}

/** A modal dialog (the crop box, a result viewer) owns the keyboard while it is open. */
function modalOpen(): boolean {
  try {
    return !!document.querySelector('dialog:modal, [aria-modal="true"]');
  } catch {
    // An engine without :modal.
    return !!document.querySelector('dialog[open], [aria-modal="true"]');
  }
}

/** Marks a picker's root: a paste while focus is inside the end frame's picker goes to the end frame. */
export const SLOT_ATTRIBUTE = 'data-frame-slot';

/**
 * Ctrl/Cmd+V anywhere in the studio: a picture or an image URL becomes the start frame — or the end frame
 * when focus is inside its picker. Not while typing (the Prompt takes pasted text), nor under a dialog.
 */
export function usePasteInto(
  slot: FrameSlot,
  handlers: { picture: (file: File) => void; url: (url: string) => void },
) {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    function onPaste(e: ClipboardEvent) {
      if (e.defaultPrevented || isTextEntry(e.target) || isTextEntry(document.activeElement)) return;
      if (modalOpen()) return;
      const inEnd = !!document.activeElement?.closest(`[${SLOT_ATTRIBUTE}="end"]`);
      if ((slot === 'end') !== inEnd) return;
      const picture = pastedPicture(e.clipboardData);
      if (picture) {
        e.preventDefault();
        latest.current.picture(picture);
        return;
      }
      const url = pastedUrl(e.clipboardData);
      if (url) {
        e.preventDefault();
        latest.current.url(url);
      }
    }
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [slot]);
}
