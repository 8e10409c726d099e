import { z } from 'zod';
import { encodeBase64 } from '../../../../contract/images/base64.ts';
import { LIMITS } from '../../../../contract/limits.ts';
import { MaskBitmap } from '../model/mask-bitmap.ts';
import { scalePath } from '../model/path-edit.ts';
import { maskKindSchema, type Size } from '../model/types.ts';
import { type LoadedMask, replaceAll } from './actions.ts';
import { getBitmap } from './bitmaps.ts';
import { bitmapToPng, imageBytesToBitmap, maskValueToBytes } from './mask-codec.ts';
import { useMotionBrushStore, whenHydrated } from './store.ts';

/**
 * A motion recipe: masks (base64 PNG, image size) + paths (image pixels) + whatever settings the host
 * adds, as one JSON file to reuse a motion on another frame or share it.
 */
export const RECIPE_FORMAT = 'motion-studio/motion-brush-recipe';

const point = z.object({ x: z.number().finite(), y: z.number().finite() });

export const recipeSchema = z
  .object({
    format: z.literal(RECIPE_FORMAT),
    version: z.literal(1),
    imageSize: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
    masks: z
      .array(
        z.object({
          kind: maskKindSchema,
          color: z.string().regex(/^#[0-9a-f]{6}$/i),
          visible: z.boolean().default(true),
          /** Raw base64 PNG, white where painted; null for a mask with nothing painted. */
          mask: z.string().nullable(),
          path: z.array(point).max(LIMITS.trajectoryMaxPoints),
        }),
      )
      .max(LIMITS.dynamicMasksMax + 1),
    /** Host settings (model, mode, duration, prompt…), passed through untouched. */
    settings: z.unknown().optional(),
  })
  .refine(
    (r) => r.masks.filter((m) => m.kind === 'static').length <= 1,
    'a recipe has at most one static mask',
  )
  .refine(
    (r) => r.masks.filter((m) => m.kind === 'dynamic').length <= LIMITS.dynamicMasksMax,
    `a recipe has at most ${LIMITS.dynamicMasksMax} dynamic masks`,
  );
export type Recipe = z.infer<typeof recipeSchema>;

export async function buildRecipe(settings?: unknown): Promise<Recipe> {
  await whenHydrated();
  const { masks, imageSize } = useMotionBrushStore.getState();
  if (!imageSize) throw new Error('Add a start frame first: a recipe stores masks at its size');
  const out = await Promise.all(
    masks.map(async (m) => {
      const b = getBitmap(m.id);
      return {
        kind: m.kind,
        color: m.color,
        visible: m.visible,
        mask: b && !b.empty ? encodeBase64(await bitmapToPng(b)) : null,
        path: m.path.map((p) => ({ x: p.x, y: p.y })),
      };
    }),
  );
  return {
    format: RECIPE_FORMAT,
    version: 1,
    imageSize,
    masks: out,
    ...(settings === undefined ? {} : { settings }),
  };
}

/** The recipe as a downloadable JSON file. */
export async function exportRecipe(settings?: unknown): Promise<Blob> {
  return new Blob([JSON.stringify(await buildRecipe(settings), null, 2)], { type: 'application/json' });
}

/**
 * Loads a recipe file in place of the current masks. On a frame of another size, masks and paths are
 * scaled to it. Returns the host settings it carried (the host decides whether to apply them).
 */
export async function importRecipe(
  file: Blob,
  imageSize?: Size,
): Promise<{ settings?: unknown; scaled: boolean }> {
  await whenHydrated();
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch {
    throw new Error('This file is not a motion recipe (it is not JSON)');
  }
  const parsed = recipeSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`This file is not a motion recipe: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
  const r = parsed.data;
  const target = imageSize ?? useMotionBrushStore.getState().imageSize ?? r.imageSize;
  const scaled = target.width !== r.imageSize.width || target.height !== r.imageSize.height;
  const loaded: LoadedMask[] = await Promise.all(
    r.masks.map(async (m, i) => ({
      entry: {
        id: `${m.kind}-recipe-${Date.now()}-${i}`,
        kind: m.kind,
        color: m.color,
        visible: m.visible,
        path: scalePath(m.path, r.imageSize, target),
      },
      bitmap: m.mask
        ? await imageBytesToBitmap(await maskValueToBytes(m.mask), target)
        : new MaskBitmap(target.width, target.height),
    })),
  );
  // Static mask first, as everywhere else in the editor.
  loaded.sort((a, b) => (a.entry.kind === b.entry.kind ? 0 : a.entry.kind === 'static' ? -1 : 1));
  replaceAll(target, loaded, {
    notice: scaled
      ? `Recipe loaded and scaled from ${r.imageSize.width}×${r.imageSize.height} to ${target.width}×${target.height}`
      : 'Recipe loaded',
  });
  return { settings: r.settings, scaled };
}
