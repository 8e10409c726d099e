import { type ReactNode, type RefObject, useEffect, useRef } from 'react';

interface ModalDialogProps {
  /** The dialog's accessible name ("Result", "Compare"). */
  label: string;
  onClose: () => void;
  /** What gets focus when it opens (the close button); else the dialog itself. */
  initialFocus?: RefObject<HTMLElement | null>;
  className?: string;
  children: ReactNode;
}

/**
 * A real modal: the browser's `<dialog>` opened with showModal(), so the page behind is inert (Tab stays
 * inside), Escape closes, and focus goes back to what opened it. Where showModal is missing (old browsers,
 * jsdom) it opens in place and Escape still closes it.
 */
export function ModalDialog({ label, onClose, initialFocus, className, children }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (typeof dialog.showModal === 'function') {
      if (!dialog.open) dialog.showModal();
    } else {
      dialog.setAttribute('open', '');
      dialog.dataset.fallback = '';
    }
    (initialFocus?.current ?? dialog).focus();
    return () => {
      if (dialog.open && typeof dialog.close === 'function') dialog.close();
      // The opener may be a card the gallery has since unmounted (scrolled away).
      if (opener?.isConnected) opener.focus();
    };
  }, [initialFocus]);

  return (
    <dialog
      ref={ref}
      className={`tasks-dialog ${className ?? ''}`}
      aria-label={label}
      tabIndex={-1}
      // The browser's own close request (Escape, a phone's back gesture): we close through React state.
      onCancel={(e) => {
        e.preventDefault();
        close.current();
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        close.current();
      }}
      // A click on the backdrop lands on the <dialog> itself; clicks on its content land inside it.
      onClick={(e) => {
        if (e.target === e.currentTarget) close.current();
      }}
    >
      <div className="tasks-dialog__body">{children}</div>
    </dialog>
  );
}
