import { describe, expect, it } from 'vitest';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { makeTask } from '../../testing/task-fixture.ts';
import {
  batchGroups,
  blockWindow,
  galleryBlocks,
  indexAt,
  sameBlockWindow,
  topOf,
} from './gallery-blocks.ts';

// 3 columns, rows of exactly 200 px + 10 px gap: a 210 px stride; a batch's header is 40 px.
const layout = { mode: 'grid', columns: 3, cardWidth: 180, rowHeight: 200, gap: 10 } as const;
const HEADER = 40;

/** A history of `total` tasks, newest first; `batches` puts batch ids on index ranges. */
function history(total: number, batches: { id: string; start: number; size: number }[] = []) {
  const tasks: StudioTask[] = Array.from({ length: total }, (_, i) => makeTask({ id: `t${i}` }));
  for (const b of batches)
    for (let k = 0; k < b.size; k++) {
      const i = b.start + k;
      // Newest first: the batch's last task is listed first, as the server lists them.
      tasks[i] = { ...tasks[i]!, batch: { id: b.id, index: b.size - 1 - k, size: b.size } };
    }
  return tasks;
}
const model = (tasks: readonly StudioTask[]) => galleryBlocks({ tasks, layout, headerHeight: HEADER });
const at = (m: ReturnType<typeof model>, scrollTop: number) =>
  blockWindow(m, { scrollTop, viewportHeight: 630, overscanRows: 2 });
const cardCount = (w: ReturnType<typeof at>) =>
  w.pieces.reduce((n, p) => n + (p.kind === 'cards' ? p.end - p.start : p.to - p.from), 0);

describe('windowing without batches', () => {
  const plain = model(history(500));

  it('renders the rows in view plus the overscan, and a track as tall as every row', () => {
    const w = at(plain, 0);
    // rows 0–3 touch a 630 px view (3 strides is exactly 630: row 3's top edge), then 2 more
    expect(w).toMatchObject({ startIndex: 0, endIndex: 18, offsetTop: 0, totalHeight: 167 * 210 - 10 });
    expect(plain.items).toBe(500);
  });

  it('moves with the scroll: 500 results never put more than a screenful and the overscan in the page', () => {
    const w = at(plain, 210 * 100 + 50);
    expect(w.startIndex).toBe(98 * 3);
    expect(w.endIndex).toBe((100 + 3 + 1 + 2) * 3);
    expect(w.offsetTop).toBe(98 * 210);
    for (let top = 0; top < w.totalHeight; top += 997)
      expect(cardCount(at(plain, top))).toBeLessThanOrEqual(24);
  });

  it('reaches the last result, clamping a scroll past the end', () => {
    const end = at(plain, 10_000_000);
    expect(end.endIndex).toBe(500);
    expect(end.startIndex % 3).toBe(0);
  });

  it('is empty for no results', () => {
    expect(at(model([]), 0)).toEqual({
      pieces: [],
      offsetTop: 0,
      totalHeight: 0,
      startIndex: 0,
      endIndex: 0,
    });
  });

  it('tells a scroll that changes nothing on screen from one that does', () => {
    expect(sameBlockWindow(at(plain, 0), at(plain, 100))).toBe(true);
    expect(sameBlockWindow(at(plain, 0), at(plain, 220))).toBe(false);
  });
});

describe('batches', () => {
  it('groups consecutive tasks of one batch in the batch’s order; a lone task of a batch is a plain card', () => {
    const tasks = history(10, [
      { id: 'A', start: 2, size: 3 },
      { id: 'B', start: 6, size: 1 },
    ]);
    const groups = batchGroups(tasks);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ id: 'A', start: 2, end: 5 });
    expect(groups[0]!.tasks.map((t) => t.batch?.index)).toEqual([0, 1, 2]);
    expect(groups[0]!.tasks.map((t) => t.id)).toEqual(['t4', 't3', 't2']);
  });

  it('puts a batch on rows of its own under a header, and counts it as one item', () => {
    // 2 cards | batch of 4 | 4 cards
    const m = model(history(10, [{ id: 'A', start: 2, size: 4 }]));
    expect(m.blocks.map((b) => [b.kind, b.start, b.end, b.top, b.height, b.item])).toEqual([
      ['cards', 0, 2, 0, 200, 0],
      // one gap after the cards' row, the header, then two rows
      ['batch', 2, 6, 210, HEADER + 2 * 210 - 10, 2],
      ['cards', 6, 10, 210 + HEADER + 420, 2 * 210 - 10, 3],
    ]);
    expect(m.totalHeight).toBe(210 + HEADER + 420 + 420 - 10);
    expect(m.items).toBe(2 + 1 + 4);
    const w = at(m, 0);
    expect(w.pieces.map((p) => p.kind)).toEqual(['cards', 'batch', 'cards']);
    expect(w.pieces[1]).toMatchObject({ from: 0, to: 4, skip: 0 });
  });

  it('keeps a long batch’s header with it when its first rows are scrolled away, skipping those rows', () => {
    // A batch of 20 (7 rows) at the top, then 480 plain cards.
    const m = model(history(500, [{ id: 'A', start: 0, size: 20 }]));
    const w = at(m, HEADER + 4 * 210 + 5);
    const first = w.pieces[0]!;
    expect(first.kind).toBe('batch');
    expect(w.offsetTop).toBe(0);
    // Rows 4 and on are in view; 2 rows of overscan above: rows 2–6 of the batch, after 2 skipped rows.
    expect(first).toMatchObject({ from: 6, to: 20, skip: 2 * 210 });
    expect(w.startIndex).toBe(0);
  });

  it('windows 500 results with batches among them: never more than a screenful and the overscan', () => {
    const batches = Array.from({ length: 40 }, (_, k) => ({ id: `b${k}`, start: k * 12, size: 1 + (k % 8) }));
    const m = model(history(500, batches));
    const rowsOnly = model(history(500));
    expect(m.totalHeight).toBeGreaterThan(rowsOnly.totalHeight);
    let seenLast = false;
    for (let top = 0; top <= m.totalHeight; top += 333) {
      const w = at(m, top);
      // A screen of 630 px is 4 rows at most, plus 2 of overscan either side, plus a header's worth.
      expect(cardCount(w)).toBeLessThanOrEqual(3 * (4 + 4 + 1));
      // Each card is rendered once.
      const ids = w.pieces.flatMap((p) =>
        p.kind === 'cards'
          ? Array.from({ length: p.end - p.start }, (_, i) => `t${p.start + i}`)
          : p.block.group.tasks.slice(p.from, p.to).map((t) => t.id),
      );
      expect(new Set(ids).size).toBe(ids.length);
      seenLast ||= ids.includes('t499');
    }
    expect(seenLast).toBe(true);
  });

  it('grows a batch cut at the end of what is loaded when the next page brings its other takes', () => {
    const tasks = history(300, [{ id: 'A', start: 150, size: 6 }]);
    // Loaded up to the batch's third take: a batch of three for now, under its header.
    const before = model(tasks.slice(0, 153));
    const after = model(tasks);
    expect(before.blocks.map((b) => [b.kind, b.start, b.end])).toEqual([
      ['cards', 0, 150],
      ['batch', 150, 153],
    ]);
    expect(after.blocks.map((b) => [b.kind, b.start, b.end])).toEqual([
      ['cards', 0, 150],
      ['batch', 150, 156],
      ['cards', 156, 300],
    ]);
    // A card above the batch stays where it was; the view's anchor finds it in the new model.
    expect(topOf(after, 30)).toBe(topOf(before, 30));
    const y = topOf(after, 250);
    expect(indexAt(after, y)).toBe(249);
    expect(after.totalHeight).toBeGreaterThan(before.totalHeight);
  });
});
