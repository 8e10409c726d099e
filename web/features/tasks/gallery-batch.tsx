import { type ReactNode, useId } from 'react';
import type { BatchGroup } from './gallery-blocks.ts';
import { settingsLine } from './task-labels.ts';

interface GalleryBatchProps {
  group: BatchGroup;
  /** Its place in the gallery's list (windowed, so said per item), and the list's length. */
  position: number;
  setSize: number;
  /** The header row's height, px: the gallery places rows by it. */
  headerHeight: number;
  /** Rows of the batch scrolled out of view above the rendered ones, px. */
  skip: number;
  onCompare: (ids: readonly string[]) => void;
  /** The batch's cards in view, in the batch's order. */
  children: ReactNode;
}

/** "Batch of 3 · Kling 2.6 · Pro · 5 s": how many tasks the batch made here, and their shared setup. */
export function batchWords(group: Pick<BatchGroup, 'tasks'>): string {
  const first = group.tasks[0];
  const count = `Batch of ${group.tasks.length}`;
  return first ? `${count} · ${settingsLine(first)}` : count;
}

/** The batch's finished videos, in its order: what its Compare shows. */
export const batchReady = (group: Pick<BatchGroup, 'tasks'>): string[] =>
  group.tasks.filter((t) => t.status === 'succeed' && !!t.video).map((t) => t.id);

/**
 * One batch in the gallery: a header row (what it is, Compare on its finished videos) over its cards, which
 * are a list of their own. The header stays with the batch however much of it is scrolled away.
 */
export function GalleryBatch({
  group,
  position,
  setSize,
  headerHeight,
  skip,
  onCompare,
  children,
}: GalleryBatchProps) {
  const titleId = useId();
  const words = batchWords(group);
  const ready = batchReady(group);
  const total = group.tasks.length;
  return (
    <li className="gallery-batch" aria-posinset={position} aria-setsize={setSize}>
      <div className="gallery-batch-header" style={{ blockSize: headerHeight }}>
        <h3 id={titleId} className="gallery-batch-title" title={words}>
          {words}
        </h3>
        {ready.length < total && (
          <span className="gallery-batch-note">
            {ready.length} of {total} done
          </span>
        )}
        <button
          type="button"
          className="button gallery-batch-compare"
          disabled={ready.length < 2}
          aria-describedby={titleId}
          title={
            ready.length < 2
              ? 'Compare opens once two of the batch’s videos are done'
              : 'Play the batch’s finished videos side by side, in step (up to 4 at once)'
          }
          onClick={() => onCompare(ready)}
        >
          Compare
        </button>
      </div>
      <ol className="gallery-batch-grid" aria-labelledby={titleId} style={{ paddingBlockStart: skip }}>
        {children}
      </ol>
    </li>
  );
}
