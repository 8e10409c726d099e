import {
  type ReactNode,
  type RefObject,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { isFinalStatus, type TaskStatus } from '../../../contract/schemas/kling-task.ts';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { GalleryCard } from './gallery-card.tsx';
import { statusLabel } from './task-labels.ts';
import { useGalleryPages } from './use-gallery-pages.ts';
import { useNow } from './use-now.ts';
import { gridLayout, sameWindow, type VisibleWindow, visibleWindow } from './virtual-window.ts';

/** A narrow column (the workspace's tasks column, a phone) shows rows: picture beside the text. */
const SIZING = { minCardWidth: 196, gap: 12, aspect: 16 / 9, listBelow: 440 } as const;
/** The text under a card's picture until a rendered card is measured (CSS fixes its height). */
const ESTIMATED_META_PX = 104;
/** Before the first measure (and where there is no layout, as in tests) assume a panel of this size. */
const FALLBACK_BOX = { width: 640, height: 640 };
const OVERSCAN_ROWS = 2;

export interface GalleryProps {
  filter: TaskStatus | undefined;
  onClearFilter: () => void;
  pollMs: number | false;
  picked: readonly string[];
  /** The task Generate just made: the gallery scrolls back to the top, where it lands. */
  newId: string | null;
  onOpen: (task: StudioTask) => void;
  onTogglePick: (id: string) => void;
}

/**
 * The results as a grid of cards, newest first, windowed: only the rows in view (and two either side) are
 * in the document, and only their pages are fetched, so 500 results scroll like 5. The grid scrolls
 * inside its own box, which keeps the panel's header, filter and selection bar in place.
 */
export function Gallery({
  filter,
  onClearFilter,
  pollMs,
  picked,
  newId,
  onOpen,
  onTogglePick,
}: GalleryProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const box = useBoxSize(scroller);
  const [metaHeight, setMetaHeight] = useState(ESTIMATED_META_PX);
  const [scrollTop, setScrollTop] = useState(0);
  const [previewId, setPreviewId] = useState<string | null>(null);

  const layout = gridLayout(box.width || FALLBACK_BOX.width, { ...SIZING, metaHeight });
  const windowFor = (total: number, top = scrollTop) =>
    visibleWindow({
      total,
      layout,
      scrollTop: top,
      viewportHeight: box.height || FALLBACK_BOX.height,
      overscanRows: OVERSCAN_ROWS,
    });
  const pages = useGalleryPages(filter, pollMs, (total) => windowFor(total));
  const win = windowFor(pages.total);

  // Scrolling re-renders only when the rendered rows change, not on every pixel.
  const latest = useRef({ win, windowFor });
  latest.current = { win, windowFor };
  const frame = useRef(0);
  const onScroll = useCallback(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const el = scroller.current;
      if (!el) return;
      const { win: shown, windowFor: next } = latest.current;
      if (!sameWindow(shown, next(pages.total, el.scrollTop))) setScrollTop(el.scrollTop);
    });
  }, [pages.total]);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  // A new task lands on top: scroll the grid back there, then bring its card into the page's view (a no-op
  // when it is already in view), once per new task.
  const shownNew = useRef<string | null>(null);
  useEffect(() => {
    if (!newId || !scroller.current) return;
    scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [newId]);
  useLayoutEffect(() => {
    const card = newId ? scroller.current?.querySelector<HTMLElement>('[data-new]') : null;
    if (!card || shownNew.current === newId) return;
    shownNew.current = newId;
    card.scrollIntoView?.({ block: 'nearest' });
  });

  // A card's text block has a fixed height in CSS: measured from a rendered card, rows are placed exactly.
  // Read once cards exist and again when the width (so maybe the font or layout) changes, never while
  // scrolling: reading a height forces a layout in the middle of the frame.
  const hasCards = win.endIndex > win.startIndex && !!pages.taskAt(win.startIndex);
  const mode = layout.mode;
  useLayoutEffect(() => {
    if (!hasCards || box.width < 0 || !mode) return;
    const h = scroller.current?.querySelector<HTMLElement>('.gallery-meta')?.offsetHeight;
    if (h && h > 0) setMetaHeight((old) => (Math.abs(h - old) > 0.5 ? h : old));
  }, [hasCards, box.width, mode]);

  const tasksOnScreen: StudioTask[] = [];
  for (let i = win.startIndex; i < win.endIndex; i++) {
    const t = pages.taskAt(i);
    if (t) tasksOnScreen.push(t);
  }
  // Tick once a second only while something on screen is still running.
  const now = useNow(tasksOnScreen.some((t) => !isFinalStatus(t.status)));

  const { first } = pages;
  const state = galleryState(first, pages.total, filter, onClearFilter);
  return (
    <>
      {state.banner}
      <div
        ref={scroller}
        className="gallery"
        onScroll={onScroll}
        hidden={!!state.replace}
        aria-busy={pages.stale || undefined}
      >
        <div className="gallery-track" style={{ blockSize: win.totalHeight }}>
          <ol
            className="gallery-grid"
            data-layout={layout.mode}
            aria-label="Results"
            style={{
              transform: `translateY(${win.offsetTop}px)`,
              gridTemplateColumns: `repeat(${layout.columns}, minmax(0, 1fr))`,
              gap: layout.gap,
              gridAutoRows: layout.rowHeight,
            }}
          >
            {cards(win, pages.taskAt, (task, index) => (
              <GalleryCard
                key={task.id}
                task={task}
                position={index + 1}
                setSize={pages.total}
                now={now}
                picked={picked.includes(task.id)}
                isNew={task.id === newId}
                previewing={previewId === task.id}
                onOpen={onOpen}
                onTogglePick={onTogglePick}
                onPreview={setPreviewId}
              />
            ))}
          </ol>
        </div>
      </div>
      {state.replace}
    </>
  );
}

function cards(
  win: VisibleWindow,
  taskAt: (i: number) => StudioTask | undefined,
  render: (task: StudioTask, index: number) => ReactNode,
): ReactNode[] {
  const out: ReactNode[] = [];
  for (let i = win.startIndex; i < win.endIndex; i++) {
    const task = taskAt(i);
    // A page still loading: a placeholder of the card's size, so nothing jumps when it arrives.
    out.push(
      task ? render(task, i) : <li key={`loading-${i}`} className="gallery-card gallery-card--loading" />,
    );
  }
  return out;
}

/** Loading, failed and empty states, each saying what to do next; `banner` sits above a working grid. */
function galleryState(
  first: ReturnType<typeof useGalleryPages>['first'],
  total: number,
  filter: TaskStatus | undefined,
  onClearFilter: () => void,
): { replace?: ReactNode; banner?: ReactNode } {
  if (first.isPending)
    return {
      replace: (
        <p className="tasks-state" role="status">
          Loading your tasks…
        </p>
      ),
    };
  if (first.isError && !first.data)
    return {
      replace: (
        <div className="tasks-state" role="alert">
          <p>The task history could not be loaded: {first.error.message}</p>
          <p>Check that the studio server is running, then try again.</p>
          <button type="button" className="button" onClick={() => void first.refetch()}>
            Retry
          </button>
        </div>
      ),
    };
  if (total === 0)
    return {
      replace: filter ? (
        <div className="tasks-state">
          <p>No {statusLabel(filter).toLowerCase()} tasks.</p>
          <button type="button" className="button" onClick={onClearFilter}>
            Show all tasks
          </button>
        </div>
      ) : (
        <div className="tasks-state">
          <p>No videos yet.</p>
          <p>
            Add a start frame in the composer and press Generate: the task shows up here and updates live.
          </p>
        </div>
      ),
    };
  if (first.isError)
    return {
      banner: (
        <p className="tasks-state tasks-state-inline" role="alert">
          Could not refresh the list ({first.error.message}); showing what was last loaded.{' '}
          <button type="button" className="button" onClick={() => void first.refetch()}>
            Retry
          </button>
        </p>
      ),
    };
  return {};
}

/** The element's inner size, kept current with a ResizeObserver (0×0 where there is none). */
function useBoxSize(ref: RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const read = () =>
      setSize((old) =>
        old.width === el.clientWidth && old.height === el.clientHeight
          ? old
          : { width: el.clientWidth, height: el.clientHeight },
      );
    read();
    const observer = new ResizeObserver(read);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}
