import { expect, type Locator, type Page } from '@playwright/test';

/** A point in the start frame's own pixels (top-left origin), as the editor stores it. */
export interface ImagePt {
  x: number;
  y: number;
}

/**
 * The motion brush editor, located by its accessible names (design.md). Gestures are given in image
 * pixels and turned into page coordinates through the viewport the canvas publishes (data-scale,
 * data-offset-x/y), so the spec does not depend on zoom, layout or screen size.
 */
export class MaskEditor {
  readonly root: Locator;
  readonly canvas: Locator;
  readonly brush: Locator;
  readonly eraser: Locator;
  readonly trajectory: Locator;
  readonly staticMask: Locator;
  readonly addDynamicMask: Locator;
  readonly undo: Locator;
  readonly redo: Locator;
  readonly previewMotion: Locator;
  readonly zoomIn: Locator;
  readonly zoomOut: Locator;
  readonly brushSize: Locator;
  readonly pathCount: Locator;
  readonly saved: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('application', { name: 'Mask editor', exact: true });
    const button = (name: string) => this.root.getByRole('button', { name, exact: true });
    this.brush = button('Brush');
    this.eraser = button('Eraser');
    this.trajectory = button('Trajectory');
    this.staticMask = button('Static mask');
    this.addDynamicMask = button('Add dynamic mask');
    this.undo = button('Undo');
    this.redo = button('Redo');
    this.previewMotion = button('Preview motion');
    this.zoomIn = button('Zoom in');
    this.zoomOut = button('Zoom out');
    this.brushSize = this.root.getByRole('slider', { name: 'Brush size', exact: true });
    // The canvas host is the test contract for gestures: it publishes the viewport.
    this.canvas = this.root.locator('[data-image-width]');
    this.pathCount = this.root.getByTestId('path-count');
    this.saved = this.root.getByRole('status').filter({ hasText: 'Masks saved' });
  }

  /** A mask's row button ("Dynamic mask 1", "Static region"). */
  mask(name: string): Locator {
    return this.root.getByRole('button', { name, exact: true });
  }

  async ready(width: number, height: number) {
    await expect(this.canvas).toHaveAttribute('data-ready', 'true');
    await expect(this.canvas).toHaveAttribute('data-image-width', String(width));
    await expect(this.canvas).toHaveAttribute('data-image-height', String(height));
  }

  /** The viewport the canvas publishes: display scale and the frame's offset in the canvas box. */
  async view(): Promise<{ scale: number; x: number; y: number }> {
    return this.canvas.evaluate((el: HTMLElement) => ({
      scale: Number(el.dataset.scale),
      x: Number(el.dataset.offsetX),
      y: Number(el.dataset.offsetY),
    }));
  }

  /** The image point under page point q (the inverse of toPage). */
  async toImage(q: { x: number; y: number }): Promise<ImagePt> {
    const box = await this.canvas.boundingBox();
    if (!box) throw new Error('the canvas is not visible');
    const v = await this.view();
    return { x: (q.x - box.x - v.x) / v.scale, y: (q.y - box.y - v.y) / v.scale };
  }

  /** Rests the mouse over image point p (no button), e.g. for shortcuts that follow the pointer. */
  async hover(p: ImagePt) {
    await this.canvas.scrollIntoViewIfNeeded();
    const q = await this.toPage(p);
    await this.page.mouse.move(q.x, q.y);
    return q;
  }

  /** The mask list as it reads, one string per row: its name and what it holds ("painted · …"). */
  async maskRows(): Promise<string[]> {
    const list = this.root.getByRole('region', { name: 'Masks', exact: true });
    return (await list.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** Image pixels → page pixels, through the current zoom and pan. */
  async toPage(p: ImagePt): Promise<{ x: number; y: number }> {
    const box = await this.canvas.boundingBox();
    if (!box) throw new Error('the canvas is not visible');
    const v = await this.view();
    return { x: box.x + v.x + p.x * v.scale, y: box.y + v.y + p.y * v.scale };
  }

  /** A mouse drag through image points (straight segments, `steps` moves per segment). */
  async drag(points: ImagePt[], steps = 12) {
    // Mouse events only reach what is inside the viewport.
    await this.canvas.scrollIntoViewIfNeeded();
    const mouse = this.page.mouse;
    const first = await this.toPage(points[0]!);
    await mouse.move(first.x, first.y);
    await mouse.down();
    for (const p of points.slice(1)) {
      const q = await this.toPage(p);
      await mouse.move(q.x, q.y, { steps });
    }
    await mouse.up();
  }

  async paint(...points: ImagePt[]) {
    await this.brush.click();
    await this.drag(points);
  }

  /** A freehand path with the Trajectory tool on the selected dynamic mask. */
  async drawPath(...points: ImagePt[]) {
    await this.trajectory.click();
    await this.drag(points, 20);
  }

  /**
   * Waits until the current masks and paths are in IndexedDB (what survives a reload). Call it once
   * the page shows the last change (a path count, a row's "painted"): the editor marks the draft
   * unsaved in the same update, so "Masks saved" cannot be a leftover from before the change.
   */
  async settled() {
    await expect(this.saved).toBeVisible();
  }

  /** "n / 77" → n. */
  async pathPoints(): Promise<number> {
    const text = (await this.pathCount.textContent()) ?? '';
    return Number(text.split('/')[0]!.trim());
  }
}
