import { useMemo } from 'react';
import { maskLabel, motionBrushViolationsOf } from '../model/violations.ts';
import { getBitmap } from '../state/bitmaps.ts';
import { useMotionBrushStore } from '../state/store.ts';

/** How far (image pixels) a path's start may be from paint and still count as inside its mask. */
const START_SLACK = 3;

/**
 * Problems before submit (the same list the composer gets from motionBrushViolations) and warnings that
 * do not block: Kling moves a region from where its path starts, so a path should start on its paint.
 */
export function ChecksPanel() {
  const masks = useMotionBrushStore((s) => s.masks);
  const pixels = useMotionBrushStore((s) => s.pixels);
  const problems = useMemo(() => motionBrushViolationsOf(masks), [masks]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `pixels` is the bitmaps' change counter
  const warnings = useMemo(
    () =>
      masks
        .filter((m) => m.kind === 'dynamic' && m.painted && m.path.length > 0)
        .filter((m) => !getBitmap(m.id)?.near(m.path[0]!, START_SLACK))
        .map(
          (m) =>
            `${maskLabel(masks, m.id)}: the path starts outside its painted region — Kling moves a region from where its path begins, so start the path on the paint`,
        ),
    [masks, pixels],
  );
  if (!problems.length && !warnings.length) return null;
  return (
    <section className="mb-section" aria-label="Motion brush checks">
      <ul className="mb-checks">
        {problems.map((v) => (
          <li key={`${v.field}:${v.rule}`} className="mb-check-item mb-check-item--problem">
            {v.message}
          </li>
        ))}
        {warnings.map((w) => (
          <li key={w} className="mb-check-item mb-check-item--warn" role="alert">
            {w}
          </li>
        ))}
      </ul>
    </section>
  );
}
