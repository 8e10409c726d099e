import type { ReactNode, Ref } from 'react';

interface DialogHeaderProps {
  /** The heading's id, for the panel's aria-labelledby. */
  headingId: string;
  title: ReactNode;
  /** The close button's accessible name ("Close result", "Close comparison"). */
  closeLabel: string;
  onClose: () => void;
  /** For a dialog that moves focus to its close button when it opens. */
  closeRef?: Ref<HTMLButtonElement>;
  /** Shown between the heading and the close button (a status badge). */
  children?: ReactNode;
}

/** The heading row of the Result viewer and the comparison: title, optional badge, × to close. */
export function DialogHeader({
  headingId,
  title,
  closeLabel,
  onClose,
  closeRef,
  children,
}: DialogHeaderProps) {
  return (
    <header className="tasks-detail-header">
      <h2 id={headingId}>{title}</h2>
      {children}
      <button
        ref={closeRef}
        type="button"
        className="button button--ghost tasks-close"
        onClick={onClose}
        aria-label={closeLabel}
      >
        ×
      </button>
    </header>
  );
}
