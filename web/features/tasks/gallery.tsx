import {
  type ReactNode,
  type RefObject,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { isFinalStatus, type TaskStatus } from '../../../contract/schemas/kling-task.ts';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { GalleryBatch } from './gallery-batch.tsx';
import {
  type BlockWindow,
  blockWindow,
  type GalleryBlocks,
  galleryBlocks,
  indexAt,
  sameBlockWindow,
  topOf,
} from './gallery-blocks.ts';
import { GalleryCard } from './gallery-card.tsx';
import { statusLabel } from './task-labels.ts';
import { type GalleryHistory, useGalleryHistory, useReadOn } from './use-gallery-history.ts';
import { useNow } from './use-now.ts';
import { gridLayout } from './virtual-window.ts';

/** A narrow column (the workspace's tasks column, a phone) shows rows: picture beside the text. */
const SIZING = { minCardWidth: 196, gap: 12, aspect: 16 / 9, listBelow: 440 } as const;
/** The text under a card's picture until a rendered card is measured (CSS fixes its height). */
const ESTIMATED_META_PX = 104;
/** Before the first measure (and where there is no layout, as in tests) assume a panel of this size. */
const FALLBACK_BOX = { width: 640, height: 640 };
const OVERSCAN_ROWS = 2;
/** A batch's header row (its words and Compare), with the room below it before the batch's first row. */
export const BATCH_HEADER_PX = 44;

export interface GalleryProps {
  filter: TaskStatus | undefined;
  onClearFilter: () => void;
  pollMs: number | false;
  picked: readonly string[];
  /** The task Generate just made: the gallery scrolls back to the top, where it lands. */
  newId: string | null;
  onOpen: (task: StudioTask) => void;
  onTogglePick: (id: string) => void;
  /** A batch header's Compare: its finished results, in the batch's order. */
  onCompare: (ids: readonly string[]) => void;
}

/**
 * The results as a grid of cards, newest first, windowed: only the rows in view (and two either side) are
 * in the document, so 500 results scroll like 5. The history is read a keyset page at a time, the next one
 * as the view nears the end of what is loaded; the track is as tall as what is loaded (there is no total
 * to make room for). A batch's results sit together under a header row (gallery-blocks.ts). The grid
 * scrolls inside its own box, which keeps the panel's header, filter and selection bar in place.
 */
export function Gallery({
  filter,
  onClearFilter,
  pollMs,
  picked,
  newId,
  onOpen,
  onTogglePick,
  onCompare,
}: GalleryProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const box = useBoxSize(scroller);
  const [metaHeight, setMetaHeight] = useState(ESTIMATED_META_PX);
  const [scrollTop, setScrollTop] = useState(0);
  const [previewId, setPreviewId] = useState<string | null>(null);

  const width = box.width || FALLBACK_BOX.width;
  // Made once per change of width, text height or history, not on every row scrolled past.
  const layout = useMemo(() => gridLayout(width, { ...SIZING, metaHeight }), [width, metaHeight]);
  const history = useGalleryHistory(filter, pollMs);
  const { tasks } = history;
  const model = useMemo(
    () => galleryBlocks({ tasks, layout, headerHeight: BATCH_HEADER_PX }),
    [tasks, layout],
  );
  const windowFor = (blocks: GalleryBlocks, top = scrollTop) =>
    blockWindow(blocks, {
      scrollTop: top,
      viewportHeight: box.height || FALLBACK_BOX.height,
      overscanRows: OVERSCAN_ROWS,
    });
  const win = windowFor(model);
  useReadOn(history, win.endIndex);

  // Scrolling re-renders only when the rendered rows change, not on every pixel.
  const latest = useRef({ win, model, windowFor });
  latest.current = { win, model, windowFor };
  const scrolled = useRef(0);
  const frame = useRef(0);
  const onScroll = useCallback(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const el = scroller.current;
      if (!el) return;
      scrolled.current = el.scrollTop;
      const { win: shown, model: now, windowFor: next } = latest.current;
      if (!sameBlockWindow(shown, next(now, el.scrollTop))) setScrollTop(el.scrollTop);
    });
  }, []);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  // A resize (taller rows), a task leaving a filter above the view, or a page bringing more of a batch
  // that is in view moves what the creator is looking at: the scroll follows, so the card at the top of
  // the view stays put. A new task on top moves the cards as before: that is the history growing, not the
  // layout settling.
  const anchor = useRef<{
    id: string | undefined;
    offset: number;
    newest: string | undefined;
    height: number;
  }>(null);
  useLayoutEffect(() => {
    const was = anchor.current;
    const el = scroller.current;
    const newest = tasks[0]?.id;
    const settled = was?.id && was.newest === newest && was.height !== model.totalHeight;
    if (el && settled && scrolled.current > 0) {
      const index = tasks.findIndex((t) => t.id === was.id);
      const to = index < 0 ? scrolled.current : Math.max(0, topOf(model, index) - was.offset);
      if (Math.abs(to - scrolled.current) >= 1) {
        el.scrollTop = to;
        scrolled.current = to;
        setScrollTop(to);
      }
    }
    const index = indexAt(model, scrolled.current);
    anchor.current = {
      id: tasks[index]?.id,
      offset: topOf(model, index) - scrolled.current,
      newest,
      height: model.totalHeight,
    };
  });

  // A new task lands on top: scroll the grid back there, then bring its card into the page's view (a no-op
  // when it is already in view), once per new task.
  const shownNew = useRef<string | null>(null);
  useEffect(() => {
    if (!newId || !scroller.current) return;
    scroller.current.scrollTop = 0;
    scrolled.current = 0;
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
  const tasksOnScreen = shownTasks(win, tasks);
  const hasCards = tasksOnScreen.length > 0;
  const mode = layout.mode;
  useLayoutEffect(() => {
    if (!hasCards || box.width < 0 || !mode) return;
    const h = scroller.current?.querySelector<HTMLElement>('.gallery-meta')?.offsetHeight;
    if (h && h > 0) setMetaHeight((old) => (Math.abs(h - old) > 0.5 ? h : old));
  }, [hasCards, box.width, mode]);

  // Tick once a second only while something on screen is still running.
  const now = useNow(tasksOnScreen.some((t) => !isFinalStatus(t.status)));

  const state = galleryState(history, filter, onClearFilter);
  return (
    <>
      {state.banner}
      <div
        ref={scroller}
        className="gallery"
        onScroll={onScroll}
        hidden={!!state.replace}
        aria-busy={history.stale || undefined}
      >
        <div className="gallery-track" style={{ blockSize: win.totalHeight }}>
          <ol
            className="gallery-grid"
            data-layout={layout.mode}
            aria-label="Results"
            style={{
              transform: `translateY(${win.offsetTop}px)`,
              // A batch's own grid (gallery-batch.tsx) lays its cards out the same way.
              ['--gallery-columns' as string]: layout.columns,
              ['--gallery-gap' as string]: `${layout.gap}px`,
              ['--gallery-row' as string]: `${layout.rowHeight}px`,
            }}
          >
            {pieces(win, model, tasks, history.hasMore, {
              card: (task, position, setSize) => (
                <GalleryCard
                  key={task.id}
                  task={task}
                  position={position}
                  setSize={setSize}
                  now={now}
                  picked={picked.includes(task.id)}
                  isNew={task.id === newId}
                  previewing={previewId === task.id}
                  onOpen={onOpen}
                  onTogglePick={onTogglePick}
                  onPreview={setPreviewId}
                />
              ),
              onCompare,
            })}
          </ol>
        </div>
        {state.footer}
      </div>
      {state.replace}
    </>
  );
}

/** The tasks the window renders, for the clock: it ticks only while one of them runs. */
function shownTasks(win: BlockWindow, tasks: readonly StudioTask[]): StudioTask[] {
  const out: StudioTask[] = [];
  for (const piece of win.pieces) {
    if (piece.kind === 'batch') out.push(...piece.block.group.tasks.slice(piece.from, piece.to));
    else out.push(...tasks.slice(piece.start, piece.end));
  }
  return out;
}

interface PieceRenderers {
  /** One card; `position` and `setSize` are its place in its list (the gallery's, or its batch's). */
  card: (task: StudioTask, position: number, setSize: number) => ReactNode;
  onCompare: (ids: readonly string[]) => void;
}

/**
 * The window's list items: cards, and per batch one item holding its header and its cards as a list of
 * their own. Each says its place in the whole list, which is windowed (and, until read to its end, of a
 * size nobody has counted).
 */
function pieces(
  win: BlockWindow,
  model: GalleryBlocks,
  tasks: readonly StudioTask[],
  hasMore: boolean,
  render: PieceRenderers,
): ReactNode[] {
  // While older tasks are still on the server the list's size is unknown, which ARIA spells -1.
  const setSize = hasMore ? -1 : model.items;
  const out: ReactNode[] = [];
  for (const piece of win.pieces) {
    const { block } = piece;
    if (piece.kind === 'batch') {
      const { group } = piece.block;
      out.push(
        <GalleryBatch
          key={`batch-${group.id}`}
          group={group}
          position={block.item + 1}
          setSize={setSize}
          headerHeight={model.headerHeight}
          skip={piece.skip}
          onCompare={render.onCompare}
        >
          {group.tasks
            .slice(piece.from, piece.to)
            .map((task, k) => render.card(task, piece.from + k + 1, group.tasks.length))}
        </GalleryBatch>,
      );
      continue;
    }
    for (let i = piece.start; i < piece.end; i++)
      out.push(render.card(tasks[i]!, block.item + (i - block.start) + 1, setSize));
  }
  return out;
}

/**
 * Loading, failed and empty states, each saying what to do next; `banner` sits above a working grid,
 * `footer` below its last row (reading older tasks, or why they could not be read).
 */
function galleryState(
  history: GalleryHistory,
  filter: TaskStatus | undefined,
  onClearFilter: () => void,
): { replace?: ReactNode; banner?: ReactNode; footer?: ReactNode } {
  const { query } = history;
  if (query.isPending)
    return {
      replace: (
        <p className="tasks-state" role="status">
          Loading your tasks…
        </p>
      ),
    };
  if (query.isError && !query.data)
    return {
      replace: (
        <div className="tasks-state" role="alert">
          <p>The task history could not be loaded: {query.error.message}</p>
          <p>Check that the studio server is running, then try again.</p>
          <button type="button" className="button" onClick={() => void query.refetch()}>
            Retry
          </button>
        </div>
      ),
    };
  if (history.tasks.length === 0 && !history.hasMore)
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
  if (query.isFetchNextPageError)
    return {
      footer: (
        <p className="tasks-state tasks-state-inline gallery-more" role="alert">
          Older tasks could not be loaded ({query.error?.message}).{' '}
          <button type="button" className="button" onClick={history.retryMore}>
            Retry
          </button>
        </p>
      ),
    };
  const footer = query.isFetchingNextPage ? (
    <p className="gallery-more" role="status">
      Loading older tasks…
    </p>
  ) : undefined;
  if (query.isError)
    return {
      footer,
      banner: (
        <p className="tasks-state tasks-state-inline" role="alert">
          Could not refresh the list ({query.error.message}); showing what was last loaded.{' '}
          <button type="button" className="button" onClick={() => void query.refetch()}>
            Retry
          </button>
        </p>
      ),
    };
  return { footer };
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
