import { LIMITS } from '../../../../contract/limits.ts';
import type { Violation } from '../../../../contract/schemas/studio-api.ts';
import type { MaskEntry } from './types.ts';

/** Human labels: "Static mask", "Dynamic mask 2" (numbered in list order, as the 1–6 shortcuts are). */
export function maskLabel(masks: readonly MaskEntry[], id: string): string {
  const m = masks.find((x) => x.id === id);
  if (!m) return 'Mask';
  if (m.kind === 'static') return 'Static mask';
  return `Dynamic mask ${masks.filter((x) => x.kind === 'dynamic').indexOf(m) + 1}`;
}

/**
 * Dynamic masks that will be (or should be) sent, in list order: those with paint or a path. Blank ones
 * are skipped, so `dynamic_masks[i]` in a violation is the index the request would use.
 */
export function sentDynamicMasks(masks: readonly MaskEntry[]): MaskEntry[] {
  return masks.filter((m) => m.kind === 'dynamic' && (m.painted || m.path.length > 0));
}

/** What stops the motion brush's part of a request from being what the creator meant. */
export function motionBrushViolationsOf(masks: readonly MaskEntry[]): Violation[] {
  const out: Violation[] = [];
  if (!masks.some((m) => m.painted))
    out.push({
      field: 'dynamic_masks',
      rule: 'motion_brush_empty',
      message:
        'Motion brush: nothing is painted yet — paint a region to move (and draw its path), or a static region',
    });
  sentDynamicMasks(masks).forEach((m, i) => {
    const label = maskLabel(masks, m.id);
    if (!m.painted)
      out.push({
        field: `dynamic_masks[${i}].mask`,
        rule: 'mask_empty',
        message: `${label}: has a path but no painted region — paint the area that should follow it`,
      });
    else if (m.path.length < LIMITS.trajectoryMinPoints)
      out.push({
        field: `dynamic_masks[${i}].trajectories`,
        rule: 'trajectory_too_short',
        message: `${label}: draw a path of at least ${LIMITS.trajectoryMinPoints} points for the painted region to follow`,
      });
  });
  return out;
}
