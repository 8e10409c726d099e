import { create } from 'zustand';

/**
 * "What just changed, and Undo": the studio never changes a creator's choice silently. A notice says what
 * changed (and what it costs); its Undo puts things back. One place for the forced model/mode switches,
 * "Switch to…" offers, Remix and anything else that replaces work.
 */
export interface Notice {
  id: number;
  message: string;
  /** Puts things back as they were; the notice closes after. */
  undo?: () => void;
  /** The Undo button's words when "Undo" would be vague ("Restore my draft"). */
  undoLabel?: string;
}

interface NoticeState {
  notices: Notice[];
  show: (n: Omit<Notice, 'id'>) => number;
  dismiss: (id: number) => void;
}

let nextId = 1;
/** Older notices fall off so the strip never grows past a few lines. */
const MAX_NOTICES = 3;

export const useNotices = create<NoticeState>()((set) => ({
  notices: [],
  show: (n) => {
    const id = nextId++;
    set((s) => ({ notices: [...s.notices, { ...n, id }].slice(-MAX_NOTICES) }));
    return id;
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));

/** Outside React (store actions, remix): `showNotice({ message, undo })`. */
export const showNotice = (n: Omit<Notice, 'id'>) => useNotices.getState().show(n);

/** The strip of notices, a polite live region so screen readers hear each change once. */
export function Notices() {
  const notices = useNotices((s) => s.notices);
  const dismiss = useNotices((s) => s.dismiss);
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className="notice">
          <span className="notice__text">{n.message}</span>
          {n.undo && (
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                n.undo?.();
                dismiss(n.id);
              }}
            >
              {n.undoLabel ?? 'Undo'}
            </button>
          )}
          <button
            type="button"
            className="button button--small button--ghost"
            aria-label="Dismiss"
            onClick={() => dismiss(n.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
