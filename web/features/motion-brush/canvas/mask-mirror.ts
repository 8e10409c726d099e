import { hexToRgb } from '../model/colors.ts';
import type { MaskBitmap } from '../model/mask-bitmap.ts';
import type { Rect } from '../model/types.ts';

/**
 * The on-screen copy of a mask: one native-size canvas per mask, shown through one Konva.Image. Only
 * changed rectangles are written (putImageData of what a stroke touched since the last frame), so a
 * brush move on a 4096² mask costs its own footprint, not the frame.
 */
interface Mirror {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  rgb: [number, number, number];
}

const mirrors = new Map<MaskBitmap, Mirror>();

function write(m: Mirror, bitmap: MaskBitmap, r: Rect): void {
  const img = m.ctx.createImageData(r.width, r.height);
  const px = new Uint32Array(img.data.buffer);
  const [red, green, blue] = m.rgb;
  // ImageData is RGBA in memory; on little-endian machines (all browsers in practice) that reads as ABGR.
  const on = ((255 << 24) | (blue << 16) | (green << 8) | red) >>> 0;
  const src = bitmap.data;
  for (let y = 0; y < r.height; y++) {
    const row = (r.y + y) * bitmap.width + r.x;
    const out = y * r.width;
    for (let x = 0; x < r.width; x++) if (src[row + x]) px[out + x] = on;
  }
  m.ctx.putImageData(img, r.x, r.y);
}

/** The mask's canvas, created (and filled from the bitmap's painted tiles) on first use. */
export function mirrorOf(bitmap: MaskBitmap, color: string): HTMLCanvasElement | null {
  const hit = mirrors.get(bitmap);
  if (hit) return hit.canvas;
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const m: Mirror = { canvas, ctx, rgb: hexToRgb(color) };
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
