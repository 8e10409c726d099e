import { z } from 'zod';
import { MaskBitmap } from '../model/mask-bitmap.ts';
import { maskFieldsSchema, toolSchema } from '../model/types.ts';
import { replaceAll } from './actions.ts';
import { getBitmap } from './bitmaps.ts';
import { bitmapToPng, imageBytesToBitmap } from './mask-codec.ts';
import { type MotionBrushState, useMotionBrushStore } from './store.ts';

/** Where the draft goes: the studio's key-value store (web/editor/draft-storage.ts), a Map in tests. */
export interface DraftStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export const DRAFT_KEY = 'motion-studio:motion-brush:v1';

const size = z.object({ width: z.number().int().positive(), height: z.number().int().positive() });

/**
 * The saved draft. Mask pixels are stored as PNG bytes (a few KB for a typical mask, even at 4096²),
 * never as pixel arrays in JSON; IndexedDB keeps the Uint8Array as is.
 */
const savedDraftSchema = z.object({
  version: z.literal(1),
  imageSize: size.nullable(),
  brushSize: z.number().positive(),
  tool: toolSchema,
  selectedId: z.string().nullable(),
  masks: z.array(
    maskFieldsSchema.extend({
      // Checked by tag, not instanceof: structured clones may come from another realm.
      png: z
        .custom<Uint8Array>((v) => Object.prototype.toString.call(v) === '[object Uint8Array]')
        .transform((v) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength))
        .nullable(),
    }),
  ),
});
export type SavedDraft = z.infer<typeof savedDraftSchema>;

/**
 * Moves a draft from where the brush used to keep it (idb-keyval's default database, same key) into
 * `storage`, once: only when `storage` has none, and the old copy is deleted only after it is written.
 */
export async function adoptLegacyDraft(
  storage: DraftStorage,
  legacy: { get(key: string): Promise<unknown>; del(key: string): Promise<void> },
): Promise<void> {
  if ((await storage.get(DRAFT_KEY)) !== undefined) return;
  const old = await legacy.get(DRAFT_KEY);
  if (old === undefined) return;
  await storage.set(DRAFT_KEY, old);
  await legacy.del(DRAFT_KEY);
}

/** PNG per bitmap version, so an unchanged 4096² mask is not re-encoded on every save. */
const encoded = new WeakMap<MaskBitmap, { version: number; png: Uint8Array }>();

async function pngOf(bitmap: MaskBitmap): Promise<Uint8Array> {
  const hit = encoded.get(bitmap);
  if (hit && hit.version === bitmap.version) return hit.png;
  const version = bitmap.version;
  const png = await bitmapToPng(bitmap);
  encoded.set(bitmap, { version, png });
  return png;
}

export async function snapshotDraft(): Promise<SavedDraft> {
  const s = useMotionBrushStore.getState();
  const masks = await Promise.all(
    s.masks.map(async (m) => {
      const b = getBitmap(m.id);
      return {
        id: m.id,
        kind: m.kind,
        color: m.color,
        visible: m.visible,
        path: m.path.map((p) => ({ x: p.x, y: p.y })),
        png: b && !b.empty ? await pngOf(b) : null,
      };
    }),
  );
  return {
    version: 1,
    imageSize: s.imageSize,
    brushSize: s.brushSize,
    tool: s.tool,
    selectedId: s.selectedId,
    masks,
  };
}

/**
 * Reads the saved draft back into the store and marks it hydrated, whatever happens: a damaged draft
 * is dropped (with a notice) rather than blocking the editor.
 */
export async function hydrateMotionBrush(storage: DraftStorage): Promise<void> {
  try {
    const parsed = savedDraftSchema.safeParse(await storage.get(DRAFT_KEY));
    if (!parsed.success) return;
    const d = parsed.data;
    const loaded = await Promise.all(
      d.masks.map(async ({ png, ...entry }) => {
        const bitmap = png
          ? await imageBytesToBitmap(png, d.imageSize ?? undefined)
          : new MaskBitmap(d.imageSize?.width ?? 1, d.imageSize?.height ?? 1);
        return { entry, bitmap };
      }),
    );
    replaceAll(d.imageSize, loaded, { brushSize: d.brushSize, tool: d.tool, selectedId: d.selectedId });
  } catch {
    useMotionBrushStore.setState({
      notice: 'The saved masks could not be read back, so the editor starts empty',
    });
  } finally {
    useMotionBrushStore.setState({ hydrated: true, save: 'saved' });
  }
}

type Watched = Pick<MotionBrushState, 'imageSize' | 'masks' | 'brushSize' | 'tool' | 'selectedId' | 'pixels'>;
const watched = (s: MotionBrushState): Watched => ({
  imageSize: s.imageSize,
  masks: s.masks,
  brushSize: s.brushSize,
  tool: s.tool,
  selectedId: s.selectedId,
  pixels: s.pixels,
});
const changed = (a: Watched, b: Watched) => (Object.keys(a) as (keyof Watched)[]).some((k) => a[k] !== b[k]);

/**
 * Saves the draft shortly after each change (debounced, one write in flight at a time). `save` in the
 * store tells the creator — and the e2e test — when what they see is safely stored.
 */
export function startAutosave(storage: DraftStorage, delayMs = 250): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> | null = null;
  let again = false;
  const write = async () => {
    if (writing) {
      again = true;
      return;
    }
    useMotionBrushStore.setState({ save: 'saving' });
    writing = (async () => {
      try {
        await storage.set(DRAFT_KEY, await snapshotDraft());
        useMotionBrushStore.setState({ save: again ? 'pending' : 'saved' });
      } catch {
        useMotionBrushStore.setState({ save: 'failed' });
      }
    })();
    await writing;
    writing = null;
    if (again) {
      again = false;
      await write();
    }
  };
  let last = watched(useMotionBrushStore.getState());
  const stop = useMotionBrushStore.subscribe((s) => {
    const now = watched(s);
    const diff = changed(last, now);
    last = now;
    // Hydration itself is not a change worth writing back.
    if (!s.hydrated || !diff) return;
    if (s.save !== 'pending') useMotionBrushStore.setState({ save: 'pending' });
    clearTimeout(timer);
    timer = setTimeout(() => void write(), delayMs);
  });
  return () => {
    clearTimeout(timer);
    stop();
  };
}
