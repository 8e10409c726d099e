import { describe, expect, it } from 'vitest';
import { gridLayout, needsNextPage } from './virtual-window.ts';

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

describe('needsNextPage', () => {
  it('asks for the next page once the window comes within `ahead` cards of the last one loaded', () => {
    expect(needsNextPage(18, 100, 50)).toBe(false);
    expect(needsNextPage(49, 100, 50)).toBe(false);
    expect(needsNextPage(50, 100, 50)).toBe(true);
    expect(needsNextPage(100, 100, 50)).toBe(true);
    // Nothing loaded (a filter whose loaded rows all left it): read on at once.
    expect(needsNextPage(0, 0, 50)).toBe(true);
  });
});
