import { fitViewport, type Size, type Viewport } from '../../../../contract/geometry/points.ts';

export type { Viewport };

/** Zoom limits relative to the fitted scale: from a quarter of "fit" to 32 screen pixels per image pixel. */
export const MIN_ZOOM_OF_FIT = 0.25;
export const MAX_SCALE = 32;
export const FIT_PADDING = 12;

export function fitView(image: Size, box: Size): Viewport {
  return fitViewport(image, box, FIT_PADDING);
}

/** Zooms by `factor` keeping the display point `anchor` over the same image point. */
export function zoomAt(
  v: Viewport,
  factor: number,
  anchor: { x: number; y: number },
  minScale: number,
): Viewport {
  const scale = Math.min(MAX_SCALE, Math.max(minScale, v.scale * factor));
  const k = scale / v.scale;
  return {
    scale,
    offsetX: anchor.x - (anchor.x - v.offsetX) * k,
    offsetY: anchor.y - (anchor.y - v.offsetY) * k,
  };
}

export function panBy(v: Viewport, dx: number, dy: number): Viewport {
  return { ...v, offsetX: v.offsetX + dx, offsetY: v.offsetY + dy };
}
