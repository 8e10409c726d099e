import type { Ref } from 'react';
import { imageToApi } from '../../../../contract/geometry/points.ts';
import { MAX_POINTS } from '../model/path-edit.ts';
import { maskLabel } from '../model/violations.ts';
import { useMotionBrushStore } from '../state/store.ts';

interface Props {
  /** Live count while a freehand path is being drawn. */
  freehandCount: number | null;
  /** The pointer readout, written imperatively on pointer move (no re-render per move). */
  readoutRef: Ref<HTMLOutputElement>;
}

/**
 * The selected dynamic mask's path: its "n / 77" count, and every point in Kling's own coordinates
 * (origin bottom-left, native pixels, integers) — exactly what the request will carry.
 */
export function PathPanel({ freehandCount, readoutRef }: Props) {
  const masks = useMotionBrushStore((s) => s.masks);
  const selectedId = useMotionBrushStore((s) => s.selectedId);
  const size = useMotionBrushStore((s) => s.imageSize);
  const mask = masks.find((m) => m.id === selectedId);
  const dynamic = mask?.kind === 'dynamic' ? mask : null;
  const count = freehandCount ?? dynamic?.path.length ?? 0;
  return (
    <section className="mb-section" aria-label="Path">
      <div className="mb-section__head">
        <h3 className="mb-h">Path{dynamic ? ` · ${maskLabel(masks, dynamic.id)}` : ''}</h3>
        <span className="mb-count" title={`Kling takes 2 to ${MAX_POINTS} points per path`}>
          <span className="mb-mono" data-testid="path-count">
            {count} / {MAX_POINTS}
          </span>{' '}
          points
        </span>
      </div>
      <p className="mb-readout">
        Pointer (API):{' '}
        <output ref={readoutRef} className="mb-mono" aria-label="Pointer in API coordinates">
          —
        </output>
      </p>
      {!dynamic ? (
        <p className="muted mb-small">Select a dynamic mask to draw its path (Trajectory tool, T).</p>
      ) : dynamic.path.length === 0 ? (
        <p className="muted mb-small">
          With the Trajectory tool, drag from the painted region to draw a path, or click point by point.
        </p>
      ) : (
        <details className="mb-points">
          <summary>Points in API coordinates (origin bottom-left)</summary>
          <ol className="mb-mono">
            {size &&
              dynamic.path.map((p, i) => {
                const a = imageToApi(p, size);
                // biome-ignore lint/suspicious/noArrayIndexKey: a point is its index on the path
                return <li key={i}>{`x ${a.x}, y ${a.y}`}</li>;
              })}
          </ol>
        </details>
      )}
      <p className="muted mb-small">
        Drag points to move them · click a segment to insert · Alt-click, right-click or Delete removes · Esc
        cancels
      </p>
    </section>
  );
}
