import { describe, expect, it } from 'vitest';
import { gridLayout, pageOf, pagesFor, sameWindow, visibleWindow } from './virtual-window.ts';

const sizing = { minCardWidth: 200, gap: 10, aspect: 16 / 9, metaHeight: 100, listBelow: 0 };

describe('gridLayout', () => {
  it('fits as many columns as the width takes and shares the rest', () => {
    // 3 × 200 + 2 × 10 = 620 ≤ 650 < 4 × 200 + 3 × 10
    const l = gridLayout(650, sizing);
    expect(l.columns).toBe(3);
    expect(l.cardWidth).toBeCloseTo((650 - 20) / 3);
    expect(l.rowHeight).toBeCloseTo(((650 - 20) / 3) * (9 / 16) + 100);
  });

  it('keeps one column, however narrow', () => {
    expect(gridLayout(150, sizing)).toMatchObject({ mode: 'grid', columns: 1, cardWidth: 150 });
    expect(gridLayout(0, sizing).columns).toBe(1);
  });

  it('turns cards into rows as tall as their text in a column narrower than listBelow', () => {
    const narrow = { ...sizing, listBelow: 420 };
    expect(gridLayout(330, narrow)).toEqual({
      mode: 'list',
      columns: 1,
      cardWidth: 330,
      rowHeight: 100,
      gap: 10,
    });
    expect(gridLayout(420, narrow)).toMatchObject({ mode: 'grid', columns: 2 });
  });
});

describe('visibleWindow', () => {
  // 3 columns, rows of exactly 200 px + 10 px gap: a 210 px stride.
  const layout = { mode: 'grid', columns: 3, cardWidth: 180, rowHeight: 200, gap: 10 } as const;
  const at = (scrollTop: number, total = 500) =>
    visibleWindow({ total, layout, scrollTop, viewportHeight: 630, overscanRows: 2 });

  it('renders the rows in view plus the overscan, and a track as tall as every row', () => {
    expect(at(0)).toEqual({
      firstRow: 0,
      // rows 0–3 touch a 630 px view (3 strides is exactly 630: row 3's top edge), then 2 more
      endRow: 6,
      startIndex: 0,
      endIndex: 18,
      offsetTop: 0,
      totalHeight: 167 * 210 - 10,
    });
  });

  it('moves with the scroll: 500 results never put more than a screenful and the overscan in the page', () => {
    const w = at(210 * 100 + 50);
    expect(w.firstRow).toBe(98);
    expect(w.endRow).toBe(100 + 3 + 1 + 2);
    expect(w.startIndex).toBe(98 * 3);
    expect(w.offsetTop).toBe(98 * 210);
    for (let top = 0; top < w.totalHeight; top += 997) {
      const v = at(top);
      expect(v.endIndex - v.startIndex).toBeLessThanOrEqual(3 * (4 + 4));
    }
  });

  it('reaches the last result, clamping a scroll past the end', () => {
    const end = at(10_000_000);
    expect(end.endIndex).toBe(500);
    expect(end.endRow).toBe(167);
    // 500 = 166 full rows and one of 2
    expect(end.startIndex).toBe(end.firstRow * 3);
  });

  it('is empty for no results', () => {
    expect(at(0, 0)).toEqual({
      firstRow: 0,
      endRow: 0,
      startIndex: 0,
      endIndex: 0,
      offsetTop: 0,
      totalHeight: 0,
    });
  });

  it('tells a scroll that changes nothing on screen from one that does', () => {
    expect(sameWindow(at(0), at(100))).toBe(true);
    expect(sameWindow(at(0), at(220))).toBe(false);
  });
});

describe('pagesFor and pageOf', () => {
  it('names the pages holding a range of cards, always with page 1', () => {
    expect(pagesFor(0, 18, 100)).toEqual([1]);
    expect(pagesFor(90, 120, 100)).toEqual([1, 2]);
    expect(pagesFor(294, 318, 100)).toEqual([1, 3, 4]);
    expect(pagesFor(0, 0, 100)).toEqual([1]);
  });

  it('finds a card on its page', () => {
    expect(pageOf(0, 100)).toEqual({ page: 1, offset: 0 });
    expect(pageOf(99, 100)).toEqual({ page: 1, offset: 99 });
    expect(pageOf(499, 100)).toEqual({ page: 5, offset: 99 });
  });
});
