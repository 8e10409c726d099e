/**
 * The gallery's grid and paging maths, kept free of React and the DOM so it can be tested by numbers; which
 * rows are in the document (batches included) is gallery-blocks.ts. With 500 results only the rows in view
 * (plus a margin) are rendered, and the next page is read only as the view nears the end of what is loaded.
 */

export interface GridLayout {
  /** Cards with the picture on top, or (in a narrow column) rows with the picture beside the text. */
  mode: 'grid' | 'list';
  columns: number;
  /** One card's width in px. */
  cardWidth: number;
  /** One row's height in px (a card), without the gap. */
  rowHeight: number;
  gap: number;
}

export interface GridSizing {
  /** Cards never get narrower than this; the columns are as many as fit. */
  minCardWidth: number;
  gap: number;
  /** The media box's width / height (16:9 results). */
  aspect: number;
  /** The text under the media (prompt, status, setup), measured from a rendered card. */
  metaHeight: number;
  /** Narrower than this, cards become rows as tall as their text, the picture beside it. */
  listBelow: number;
}

/** How many columns fit `width`, how wide each card is and how tall each row. */
export function gridLayout(width: number, s: GridSizing): GridLayout {
  const usable = Math.max(0, width);
  if (usable < s.listBelow)
    return { mode: 'list', columns: 1, cardWidth: usable, rowHeight: s.metaHeight, gap: s.gap };
  const columns = Math.max(1, Math.floor((usable + s.gap) / (s.minCardWidth + s.gap)));
  const cardWidth = columns > 0 ? Math.max(0, (usable - s.gap * (columns - 1)) / columns) : usable;
  return { mode: 'grid', columns, cardWidth, rowHeight: cardWidth / s.aspect + s.metaHeight, gap: s.gap };
}

/**
 * Whether the gallery should read the history's next page: the window (its last card, `endIndex`
 * exclusive) has come within `ahead` cards of the last one loaded. Read early, so scrolling at a steady
 * pace never meets the end; the history has no total to size the track with beforehand.
 */
export const needsNextPage = (endIndex: number, loaded: number, ahead: number): boolean =>
  endIndex + ahead >= loaded;
