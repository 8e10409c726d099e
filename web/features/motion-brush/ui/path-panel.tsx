import type { Ref } from 'react';
import { imageToApi } from '../../../../contract/geometry/points.ts';
import { MAX_POINTS } from '../model/path-edit.ts';
import type { Pt, Size } from '../model/types.ts';
import { maskLabel } from '../model/violations.ts';
import { useMotionBrushStore } from '../state/store.ts';

interface Props {
  /** Live count while a freehand path is being drawn. */
  freehandCount: number | null;
  /** The pointer readout, written imperatively on pointer move (no re-render per move). */
  readoutRef: Ref<HTMLOutputElement>;
}

/** "from x 200, y 150 to x 650, y 480": a path's ends as the request will carry them, for the tooltip. */
function apiEnds(path: readonly Pt[], size: Size): string {
  const [a, b] = [imageToApi(path[0]!, size), imageToApi(path[path.length - 1]!, size)];
  return `from x ${a.x}, y ${a.y} to x ${b.x}, y ${b.y}`;
}

/**
 * The selected dynamic mask's path: its "n / 77" count and how to edit it. The API's view (points in
 * Kling's own coordinates: native pixels, origin bottom-left, integers) is in the tooltips and in
 * Request JSON, not on the editor's face.
 */
export function PathPanel({ freehandCount, readoutRef }: Props) {
  const masks = useMotionBrushStore((s) => s.masks);
  const selectedId = useMotionBrushStore((s) => s.selectedId);
  const size = useMotionBrushStore((s) => s.imageSize);
  const mask = masks.find((m) => m.id === selectedId);
  const dynamic = mask?.kind === 'dynamic' ? mask : null;
  const count = freehandCount ?? dynamic?.path.length ?? 0;
  const ends =
    dynamic && size && dynamic.path.length >= 2 ? ` This one runs ${apiEnds(dynamic.path, size)}.` : '';
  return (
    <section className="mb-section" aria-label="Path">
      <div className="mb-section__head">
        <h3 className="mb-h">Path{dynamic ? ` · ${maskLabel(masks, dynamic.id)}` : ''}</h3>
        <span
          className="mb-count"
          title={`Kling takes 2 to ${MAX_POINTS} points per path, in the start frame's pixels counted from its bottom-left corner.${ends} Request JSON shows every point.`}
        >
          <span className="mb-mono" data-testid="path-count">
            {count} / {MAX_POINTS}
          </span>{' '}
          points
        </span>
      </div>
      {!dynamic ? (
        <p className="muted mb-small">Select a dynamic mask to draw its path (Trajectory tool, T).</p>
      ) : dynamic.path.length === 0 ? (
        <p className="muted mb-small">
          With the Trajectory tool, drag from the painted region to draw a path, or click point by point.
        </p>
      ) : (
        <p className="muted mb-small">
          Drag points to move them · click a segment to insert · Alt-click, right-click or Delete removes ·
          Esc cancels
        </p>
      )}
      <p
        className="mb-readout muted mb-small"
        title="The pointer in the start frame's own pixels, as Kling counts them: x from the left edge, y from the bottom edge"
      >
        Pointer{' '}
        <output ref={readoutRef} className="mb-mono" aria-label="Pointer position">
          —
        </output>
      </p>
    </section>
  );
}
