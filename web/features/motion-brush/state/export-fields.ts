import { pathToApiTrajectory } from '../../../../contract/geometry/points.ts';
import type { MotionBrushFields } from '../../../../contract/schemas/create-request.ts';
import type { Violation } from '../../../../contract/schemas/studio-api.ts';
import { scalePath } from '../model/path-edit.ts';
import type { Size } from '../model/types.ts';
import { motionBrushViolationsOf, sentDynamicMasks } from '../model/violations.ts';
import { getBitmap } from './bitmaps.ts';
import { bitmapToBase64 } from './mask-codec.ts';
import { useMotionBrushStore, whenHydrated } from './store.ts';

/**
 * The motion brush's fields of a create request, exactly as Kling wants them: each mask a binary PNG at
 * the start frame's native width × height (so all masks match each other and the frame), raw base64;
 * trajectories resampled to ≤ 77 points, bottom-left origin, integers, clamped (contract geometry).
 * Empty masks, and dynamic masks without both paint and a path, are left out (motionBrushViolations
 * names the latter before submit).
 */
export async function buildMotionBrushFields(imageSize: Size): Promise<MotionBrushFields> {
  await whenHydrated();
  const { masks, imageSize: stored } = useMotionBrushStore.getState();
  const from = stored ?? imageSize;
  const out: MotionBrushFields = {};
  const stat = masks.find((m) => m.kind === 'static' && m.painted);
  const statBitmap = stat && getBitmap(stat.id);
  if (statBitmap) out.static_mask = await bitmapToBase64(statBitmap, imageSize);
  const dynamic = sentDynamicMasks(masks).filter((m) => m.painted && m.path.length >= 2);
  const built = await Promise.all(
    dynamic.map(async (m) => {
      const bitmap = getBitmap(m.id);
      if (!bitmap) return null;
      const path = scalePath(m.path, from, imageSize);
      return {
        mask: await bitmapToBase64(bitmap, imageSize),
        trajectories: pathToApiTrajectory(path, imageSize).map((p) => ({ x: p.x, y: p.y })),
      };
    }),
  );
  const dynamicMasks = built.filter((d): d is NonNullable<typeof d> => d !== null);
  if (dynamicMasks.length) out.dynamic_masks = dynamicMasks;
  return out;
}

/** Pre-submit problems of the motion brush (see motionBrushViolationsOf); they do not depend on the frame size. */
export function motionBrushViolations(): Violation[] {
  return motionBrushViolationsOf(useMotionBrushStore.getState().masks);
}
