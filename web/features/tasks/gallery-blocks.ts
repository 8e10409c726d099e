import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import type { GridLayout } from './virtual-window.ts';

/**
 * The gallery as blocks: runs of ordinary cards, and batches (the tasks of one `POST /api/tasks/batch`)
 * that sit together under a header row of their own. Kept free of React and the DOM, like the grid maths
 * in virtual-window.ts, so the windowing can be tested by numbers: 500 results with batches among them
 * still put only a screenful (and the overscan) in the document. Indexes are places in the loaded
 * history (newest first).
 */

/** A batch's cards as the gallery shows them: consecutive in the history, in the batch's own order. */
export interface BatchGroup {
  id: string;
  /** The history indexes (newest first) it covers: `start` inclusive, `end` exclusive. */
  start: number;
  end: number;
  /** Its tasks in the batch's order (take 1, 2, 3), which is not the history's (newest first). */
  tasks: StudioTask[];
}

interface BlockBase {
  /** History indexes: `start` inclusive, `end` exclusive. */
  start: number;
  end: number;
  /** px from the top of the full-height track. */
  top: number;
  height: number;
  /** The block's first place (0-based) among the list's items: a batch is one item, a card another. */
  item: number;
}
export type GalleryBlock =
  | (BlockBase & { kind: 'cards' })
  | (BlockBase & { kind: 'batch'; group: BatchGroup });

export interface GalleryBlocks {
  blocks: GalleryBlock[];
  totalHeight: number;
  /** How many items the list has: cards outside batches, and one per batch. */
  items: number;
  layout: GridLayout;
  headerHeight: number;
}

export interface BlocksInput {
  /**
   * The history as loaded, newest first (keyset pages joined). Only what is loaded is laid out: the server
   * gives no total, and the gallery reads the next page as the view nears the end (use-gallery-history.ts).
   * A batch whose other takes are still on the next page grows when that page arrives.
   */
  tasks: readonly StudioTask[];
  layout: GridLayout;
  /** A batch's header row, px, including the room between it and the batch's first row. */
  headerHeight: number;
}

/** Where runs of one batch sit in the history. A batch shown by one card alone needs no header. */
export function batchGroups(tasks: readonly StudioTask[]): BatchGroup[] {
  const groups: BatchGroup[] = [];
  let run: { id: string; start: number; tasks: StudioTask[] } | null = null;
  const close = () => {
    if (run && run.tasks.length > 1) {
      const inOrder = run.tasks.slice().sort((a, b) => (a.batch?.index ?? 0) - (b.batch?.index ?? 0));
      groups.push({ id: run.id, start: run.start, end: run.start + run.tasks.length, tasks: inOrder });
    }
    run = null;
  };
  for (let index = 0; index < tasks.length; index++) {
    const task = tasks[index]!;
    const id = task.batch?.id;
    if (run && id === run.id) {
      run.tasks.push(task);
      continue;
    }
    close();
    if (id) run = { id, start: index, tasks: [task] };
  }
  close();
  return groups;
}

const rowsOf = (cards: number, columns: number) => Math.ceil(cards / columns);

/** The gallery's blocks, top to bottom, each placed on the track. */
export function galleryBlocks(input: BlocksInput): GalleryBlocks {
  const { layout, headerHeight } = input;
  const total = input.tasks.length;
  const stride = layout.rowHeight + layout.gap;
  const cardsHeight = (n: number) => (n > 0 ? rowsOf(n, layout.columns) * stride - layout.gap : 0);
  const blocks: GalleryBlock[] = [];
  let top = 0;
  let item = 0;
  // Each block is placed as it is pushed: one gap between blocks, none after the last.
  const push = (block: GalleryBlock) => {
    if (blocks.length) top += layout.gap;
    block.top = top;
    blocks.push(block);
    top += block.height;
  };
  let cursor = 0;
  for (const group of batchGroups(input.tasks)) {
    if (group.start > cursor) {
      const n = group.start - cursor;
      push({ kind: 'cards', start: cursor, end: group.start, top: 0, height: cardsHeight(n), item });
      item += n;
    }
    const height = headerHeight + cardsHeight(group.tasks.length);
    push({ kind: 'batch', start: group.start, end: group.end, top: 0, height, item, group });
    item += 1;
    cursor = group.end;
  }
  if (total > cursor) {
    push({ kind: 'cards', start: cursor, end: total, top: 0, height: cardsHeight(total - cursor), item });
    item += total - cursor;
  }
  return { blocks, totalHeight: top, items: item, layout, headerHeight };
}

export type WindowPiece =
  /** Cards `start`–`end` (history indexes) of a run outside batches. */
  | { kind: 'cards'; block: GalleryBlock & { kind: 'cards' }; start: number; end: number }
  /**
   * A batch: its header always, and its tasks `from`–`to` (in the batch's order), after `skip` px of rows
   * not rendered (a long batch scrolled half out of view keeps its header at the batch's top).
   */
  | { kind: 'batch'; block: GalleryBlock & { kind: 'batch' }; from: number; to: number; skip: number };

export interface BlockWindow {
  pieces: WindowPiece[];
  /** Where the first piece sits, px from the top of the track. */
  offsetTop: number;
  totalHeight: number;
  /** The history indexes the pieces draw on (a batch's whole range); the end decides when to read on. */
  startIndex: number;
  endIndex: number;
}

export interface BlockWindowInput {
  /** How far the gallery is scrolled, px from its top. */
  scrollTop: number;
  /** The gallery's visible height, px. */
  viewportHeight: number;
  /** Rows kept rendered above and below the visible ones, so a fast flick or Tab never meets a blank. */
  overscanRows: number;
}

/** The first block whose bottom edge is below `y` (blocks are sorted by `top`). */
function firstBlockBelow(blocks: readonly GalleryBlock[], y: number): number {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const b = blocks[mid]!;
    if (b.top + b.height <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The blocks, and the rows within them, that are in view or within the overscan. */
export function blockWindow(
  model: GalleryBlocks,
  { scrollTop, viewportHeight, overscanRows }: BlockWindowInput,
): BlockWindow {
  const { blocks, totalHeight, layout, headerHeight } = model;
  const stride = layout.rowHeight + layout.gap;
  const empty = { pieces: [], offsetTop: 0, totalHeight, startIndex: 0, endIndex: 0 };
  if (!blocks.length || stride <= 0) return empty;
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, totalHeight - viewportHeight));
  const from = top - overscanRows * stride;
  const to = top + Math.max(0, viewportHeight) + overscanRows * stride;
  const pieces: WindowPiece[] = [];
  let offsetTop = 0;
  for (let b = firstBlockBelow(blocks, from); b < blocks.length && blocks[b]!.top <= to; b++) {
    const block = blocks[b]!;
    const rowsTop = block.top + (block.kind === 'batch' ? headerHeight : 0);
    const rows = rowsOf(block.end - block.start, layout.columns);
    const firstRow = Math.max(0, Math.floor((from - rowsTop) / stride));
    const lastRow = Math.min(rows - 1, Math.floor((to - rowsTop) / stride));
    if (block.kind === 'cards') {
      if (lastRow < firstRow) continue;
      if (!pieces.length) offsetTop = rowsTop + firstRow * stride;
      pieces.push({
        kind: 'cards',
        block,
        start: block.start + firstRow * layout.columns,
        end: Math.min(block.end, block.start + (lastRow + 1) * layout.columns),
      });
    } else {
      if (!pieces.length) offsetTop = block.top;
      const shown = lastRow >= firstRow;
      const n = block.group.tasks.length;
      pieces.push({
        kind: 'batch',
        block,
        from: shown ? firstRow * layout.columns : 0,
        to: shown ? Math.min(n, (lastRow + 1) * layout.columns) : 0,
        skip: shown ? firstRow * stride : 0,
      });
    }
  }
  if (!pieces.length) return empty;
  const first = pieces[0]!;
  const last = pieces.at(-1)!;
  return {
    pieces,
    offsetTop,
    totalHeight,
    startIndex: first.kind === 'cards' ? first.start : first.block.start,
    endIndex: last.kind === 'cards' ? last.end : last.block.end,
  };
}

/** Two windows that render the same cards at the same place: no re-render needed. */
export function sameBlockWindow(a: BlockWindow, b: BlockWindow): boolean {
  if (a.offsetTop !== b.offsetTop || a.totalHeight !== b.totalHeight) return false;
  if (a.pieces.length !== b.pieces.length) return false;
  return a.pieces.every((p, i) => {
    const q = b.pieces[i]!;
    if (p.kind === 'cards')
      return q.kind === 'cards' && p.block === q.block && p.start === q.start && p.end === q.end;
    return q.kind === 'batch' && p.block === q.block && p.from === q.from && p.to === q.to;
  });
}

/**
 * Where history index `index` starts on the track, px (a batch's cards by their place in the batch's run).
 * Comparing it across two models tells how far a batch header arriving above moved what is in view.
 */
export function topOf(model: GalleryBlocks, index: number): number {
  const { blocks, layout, headerHeight } = model;
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (blocks[mid]!.start <= index) lo = mid;
    else hi = mid - 1;
  }
  const block = blocks[lo];
  if (!block) return 0;
  const stride = layout.rowHeight + layout.gap;
  const row = Math.floor((index - block.start) / layout.columns);
  return block.top + (block.kind === 'batch' ? headerHeight : 0) + row * stride;
}

/** The history index of the first card whose row reaches below `y` (the one at the top of the view). */
export function indexAt(model: GalleryBlocks, y: number): number {
  const { blocks, layout, headerHeight } = model;
  const block = blocks[Math.min(firstBlockBelow(blocks, y), blocks.length - 1)];
  if (!block) return 0;
  const stride = layout.rowHeight + layout.gap;
  const rowsTop = block.top + (block.kind === 'batch' ? headerHeight : 0);
  const row = Math.max(0, Math.floor((y - rowsTop) / stride));
  return Math.min(block.end - 1, block.start + row * layout.columns);
}
