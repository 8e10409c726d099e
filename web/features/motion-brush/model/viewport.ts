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

/** The toolbar's Zoom in / Zoom out step, and the most one wheel event may zoom by either way. */
export const ZOOM_STEP = 1.25;
/** Pixels per wheel "line" and "page" (Firefox reports lines; a notch is 3 lines ≈ a 120 px Chromium notch). */
export const WHEEL_LINE_PX = 40;
export const WHEEL_PAGE_PX = 800;
/**
 * Zoom per wheel pixel (as a natural log): a trackpad pinch (ctrl+wheel, a few fractional pixels an event)
 * tracks the fingers at 1 % a pixel; a plain wheel, whose notches are ~100 px, is gentler.
 */
const PINCH_PER_PX = 0.01;
const WHEEL_PER_PX = 0.0015;

export interface WheelLike {
  deltaY: number;
  /** 0 pixels, 1 lines, 2 pages (WheelEvent.DOM_DELTA_*). */
  deltaMode: number;
  ctrlKey: boolean;
}

/** A wheel event's vertical delta in pixels, whatever unit it came in. */
export function wheelDeltaPx(e: Pick<WheelLike, 'deltaY' | 'deltaMode'>): number {
  const unit = e.deltaMode === 1 ? WHEEL_LINE_PX : e.deltaMode === 2 ? WHEEL_PAGE_PX : 1;
  return Number.isFinite(e.deltaY) ? e.deltaY * unit : 0;
}

/**
 * The zoom factor for one wheel event: exponential in the delta (so zooming in and back out by the same
 * amount returns to the same scale), and at most one Zoom-in step per event either way. A mouse notch
 * with Ctrl held (100 px or more) is therefore one step, not a 20× jump; a pinch stays proportional.
 */
export function wheelZoomFactor(e: WheelLike): number {
  const log = -wheelDeltaPx(e) * (e.ctrlKey ? PINCH_PER_PX : WHEEL_PER_PX);
  const limit = Math.log(ZOOM_STEP);
  return Math.exp(Math.min(limit, Math.max(-limit, log)));
}
