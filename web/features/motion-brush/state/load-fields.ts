import { apiToImage } from '../../../../contract/geometry/points.ts';
import type { MotionBrushFields } from '../../../../contract/schemas/create-request.ts';
import { DYNAMIC_COLORS, STATIC_COLOR } from '../model/colors.ts';
import type { Size } from '../model/types.ts';
import { type LoadedMask, replaceAll } from './actions.ts';
import { imageBytesToBitmap, maskValueToBytes } from './mask-codec.ts';
import { whenHydrated } from './store.ts';

/**
 * Restores the editor from a task's inputs (remix): mask PNGs decoded back into bitmaps at the frame's
 * size, API trajectories (bottom-left origin) turned back into image points. Replaces what was there.
 */
export async function loadMotionBrush(fields: MotionBrushFields, imageSize: Size): Promise<void> {
  await whenHydrated();
  const loaded: LoadedMask[] = [];
  if (fields.static_mask) {
    const bitmap = await imageBytesToBitmap(await maskValueToBytes(fields.static_mask), imageSize);
    loaded.push({
      entry: { id: `static-${Date.now()}`, kind: 'static', color: STATIC_COLOR, visible: true, path: [] },
      bitmap,
    });
  }
  const dynamic = await Promise.all(
    (fields.dynamic_masks ?? []).map(async (d, i) => ({
      entry: {
        id: `dynamic-${Date.now()}-${i}`,
        kind: 'dynamic' as const,
        color: DYNAMIC_COLORS[i % DYNAMIC_COLORS.length]!,
        visible: true,
        path: d.trajectories.map((p) => {
          const q = apiToImage(p, imageSize);
          return { x: q.x, y: q.y };
        }),
      },
      bitmap: await imageBytesToBitmap(await maskValueToBytes(d.mask), imageSize),
    })),
  );
  loaded.push(...dynamic);
  replaceAll(imageSize, loaded, {
    notice: null,
    selectedId: dynamic[0]?.entry.id ?? loaded[0]?.entry.id ?? null,
  });
}
