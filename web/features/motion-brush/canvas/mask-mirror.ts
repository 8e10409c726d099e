import { hatchBand, hexToRgb, STATIC_HATCH } from '../model/colors.ts';
import type { MaskBitmap } from '../model/mask-bitmap.ts';
import type { MaskEntry, Rect } from '../model/types.ts';

/** Solid fill (a dynamic mask), or light/dark diagonal stripes `band` px wide (the static mask). */
export type MirrorLook =
  | { kind: 'solid'; on: number }
  | { kind: 'hatch'; light: number; dark: number; band: number };

/**
 * The on-screen copy of a mask: one native-size canvas per mask, shown through one Konva.Image. Only
 * changed rectangles are written (putImageData of what a stroke touched since the last frame), so a
 * brush move on a 4096² mask costs its own footprint, not the frame.
 */
interface Mirror {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  look: MirrorLook;
}

const mirrors = new Map<MaskBitmap, Mirror>();

/** An opaque #rrggbb as one ImageData pixel: RGBA in memory, which little-endian machines (all browsers in practice) read as ABGR. */
export function pixel(hex: string): number {
  const [red, green, blue] = hexToRgb(hex);
  return ((255 << 24) | (blue << 16) | (green << 8) | red) >>> 0;
}

/** Fills `px` (the pixels of rectangle `r`, row by row) where the mask is painted; the rest stays transparent. */
export function paintRect(px: Uint32Array, bitmap: MaskBitmap, r: Rect, look: MirrorLook): void {
  const src = bitmap.data;
  if (look.kind === 'solid') {
    for (let y = 0; y < r.height; y++) {
      const row = (r.y + y) * bitmap.width + r.x;
      const out = y * r.width;
      for (let x = 0; x < r.width; x++) if (src[row + x]) px[out + x] = look.on;
    }
    return;
  }
  // The stripe is floor((x + y) / band) as in onLightStripe: walk its phase along each row instead of dividing.
  const period = look.band * 2;
  for (let y = 0; y < r.height; y++) {
    const row = (r.y + y) * bitmap.width + r.x;
    const out = y * r.width;
    let phase = (r.x + r.y + y) % period;
    for (let x = 0; x < r.width; x++) {
      if (src[row + x]) px[out + x] = phase < look.band ? look.light : look.dark;
      if (++phase === period) phase = 0;
    }
  }
}

function write(m: Mirror, bitmap: MaskBitmap, r: Rect): void {
  const img = m.ctx.createImageData(r.width, r.height);
  paintRect(new Uint32Array(img.data.buffer), bitmap, r, m.look);
  m.ctx.putImageData(img, r.x, r.y);
}

export function lookOf(bitmap: MaskBitmap, mask: Pick<MaskEntry, 'kind' | 'color'>): MirrorLook {
  if (mask.kind === 'dynamic') return { kind: 'solid', on: pixel(mask.color) };
  const band = hatchBand({ width: bitmap.width, height: bitmap.height });
  return { kind: 'hatch', light: pixel(STATIC_HATCH.light), dark: pixel(STATIC_HATCH.dark), band };
}

/** The mask's canvas, created (and filled from the bitmap's painted tiles) on first use. */
export function mirrorOf(
  bitmap: MaskBitmap,
  mask: Pick<MaskEntry, 'kind' | 'color'>,
): HTMLCanvasElement | null {
  const hit = mirrors.get(bitmap);
  if (hit) return hit.canvas;
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const m: Mirror = { canvas, ctx, look: lookOf(bitmap, mask) };
  mirrors.set(bitmap, m);
  // Painted tiles now; strokes still in progress (not yet counted in the tile flags) stay dirty and are
  // written by the next flush.
  for (const i of bitmap.setTileIndices()) write(m, bitmap, bitmap.tileRect(i));
  return canvas;
}

/**
 * Frees the canvases of masks no longer shown (deleted — their bitmap may wait in the undo history —
 * or replaced by a load). A 4096² mirror is 64 MB; an undone delete rebuilds it from the bitmap.
 */
export function pruneMirrors(live: ReadonlySet<MaskBitmap>): void {
  for (const [bitmap, m] of mirrors) {
    if (live.has(bitmap)) continue;
    m.canvas.width = 0;
    m.canvas.height = 0;
    mirrors.delete(bitmap);
  }
}

/** Writes what changed since the last call; true when something was written. */
export function flushMirror(bitmap: MaskBitmap): boolean {
  const m = mirrors.get(bitmap);
  const r = bitmap.dirty;
  if (!m || !r) return false;
  bitmap.dirty = null;
  write(m, bitmap, r);
  return true;
}
