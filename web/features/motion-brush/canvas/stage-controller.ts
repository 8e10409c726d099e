import type Konva from 'konva';
import type { Pt } from '../model/types.ts';
import { getBitmap } from '../state/bitmaps.ts';
import { useMotionBrushStore } from '../state/store.ts';
import { flushMirror } from './mask-mirror.ts';

/**
 * The imperative side of the canvas: pointer-rate updates (mask pixels, the brush cursor, the freehand
 * stroke, preview positions) bypass React and are drawn once per animation frame. React renders the
 * scene's structure; this draws its fast-changing parts.
 */
export class StageController {
  masksLayer: Konva.Layer | null = null;
  overlayLayer: Konva.Layer | null = null;
  cursor: Konva.Group | null = null;
  freehand: Konva.Line | null = null;
  readonly previewNodes = new Map<string, Konva.Image>();

  private frame = 0;
  private needMasks = false;
  private needOverlay = false;

  requestDraw(what: { masks?: boolean; overlay?: boolean }): void {
    this.needMasks ||= !!what.masks;
    this.needOverlay ||= !!what.overlay;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    if (this.needMasks) {
      this.needMasks = false;
      for (const m of useMotionBrushStore.getState().masks) {
        const b = getBitmap(m.id);
        if (b) flushMirror(b);
      }
      this.masksLayer?.draw();
    }
    if (this.needOverlay) {
      this.needOverlay = false;
      this.overlayLayer?.draw();
    }
  }

  /** Moves the round brush cursor (image pixels), or hides it. */
  setCursor(p: Pt | null): void {
    const c = this.cursor;
    if (!c) return;
    if (p) c.position(p);
    if (c.visible() !== !!p) c.visible(!!p);
    this.requestDraw({ overlay: true });
  }

  /** The freehand path being drawn (image pixels); empty hides it. */
  setFreehand(raw: readonly Pt[]): void {
    const line = this.freehand;
    if (!line) return;
    line.points(raw.flatMap((p) => [p.x, p.y]));
    line.visible(raw.length > 1);
    this.requestDraw({ overlay: true });
  }

  dispose(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}
