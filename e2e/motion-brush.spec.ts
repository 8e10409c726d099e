import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { pngImage } from '../contract/testing/test-images.ts';
import { brushFrame, readMask } from './assets/brush-images.ts';
import { asBuffer, type FilePayload } from './assets/frame-images.ts';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { expect, type Sim, type SimRequest, test, uniquePrompt } from './fixtures.ts';
import { MaskEditor } from './pages/mask-editor.ts';
import { StudioPage } from './pages/studio-page.ts';
import { TasksPage } from './pages/tasks-page.ts';

/**
 * Motion brush journeys in real Chromium, checked against what the simulator received: the masks are
 * binary PNGs of exactly the frame's size with paint where it was painted, and paths arrive in Kling's
 * space (bottom-left origin, integers, ≤ 77 points).
 */
const W = 800;
const H = 600;

async function openBrush(page: Page, frame?: FilePayload) {
  const studio = new StudioPage(page);
  await studio.goto();
  await studio.uploadStart(frame ?? (await brushFrame(W, H)));
  await expect(studio.frameMeta(W, H)).toBeVisible();
  await studio.tab('Motion brush').click();
  // Motion brush exists on kling-v1 std/pro 5s only; std 5s is the default, set it explicitly anyway.
  await studio.model.selectOption('kling-v1');
  await studio.mode.selectOption('std');
  await studio.duration.selectOption('5');
  const editor = new MaskEditor(page);
  await editor.ready(W, H);
  return { studio, editor };
}

/** Generate once and return what the simulator received for it. */
async function generate(studio: StudioPage, sim: Sim, what: string, prompt = uniquePrompt(what)) {
  await studio.prompt.fill(prompt);
  const before = (await sim.requests()).length;
  await studio.generate.click();
  await expect(studio.submitted).toBeVisible();
  return (await sim.requestWithPrompt(before, prompt)).body;
}

/** The checks every brush request must pass: sizes, binarity, API-space integer paths. */
async function expectWellFormed(body: SimRequest['body']) {
  for (const m of [body.static_mask, ...(body.dynamic_masks ?? []).map((d) => d.mask)].filter(Boolean)) {
    const mask = await readMask(m!);
    expect(mask.format).toBe('png');
    expect([mask.width, mask.height]).toEqual([W, H]);
    expect(mask.binary()).toBe(true);
  }
  for (const d of body.dynamic_masks ?? []) {
    expect(d.trajectories.length).toBeGreaterThanOrEqual(2);
    expect(d.trajectories.length).toBeLessThanOrEqual(77);
    for (const p of d.trajectories) {
      expect(Number.isInteger(p.x) && Number.isInteger(p.y)).toBe(true);
      expect(p.x >= 0 && p.x <= W && p.y >= 0 && p.y <= H).toBe(true);
    }
  }
}

test('paint a region, draw its path lower-left → upper-right, generate: Kling gets the mask where it was painted and the path bottom-up', async ({
  page,
  sim,
}) => {
  const { studio, editor } = await openBrush(page);
  await editor.addDynamicMask.click();
  await editor.paint({ x: 150, y: 420 }, { x: 260, y: 440 }, { x: 260, y: 480 });
  await expect(editor.mask('Dynamic mask 1')).toBeVisible();
  await editor.drawPath({ x: 200, y: 450 }, { x: 420, y: 300 }, { x: 650, y: 120 });
  await expect.poll(() => editor.pathPoints()).toBeGreaterThanOrEqual(2);
  expect(await editor.pathPoints()).toBeLessThanOrEqual(77);

  const body = await generate(studio, sim, 'one region');
  expect(body).toMatchObject({ model_name: 'kling-v1', mode: 'std', duration: '5' });
  expect(body.static_mask).toBeUndefined();
  expect(body.dynamic_masks).toHaveLength(1);
  await expectWellFormed(body);

  const mask = await readMask(body.dynamic_masks![0]!.mask);
  // The stroke ran (150,420) → (260,440) → (260,480) with a 40 px brush: paint on it, none far from it.
  expect(mask.white(150, 420)).toBe(true);
  expect(mask.white(260, 460)).toBe(true);
  expect(mask.white(650, 120)).toBe(false);
  expect(mask.white(150, 120)).toBe(false);
  const b = mask.bounds()!;
  // Brush radius 20 around the stroke's extremes, ±3 px for mouse positions rounded to CSS pixels.
  expect(Math.abs(b.minX - 130)).toBeLessThanOrEqual(3);
  expect(Math.abs(b.maxX - 280)).toBeLessThanOrEqual(3);
  expect(Math.abs(b.minY - 400)).toBeLessThanOrEqual(3);
  expect(Math.abs(b.maxY - 500)).toBeLessThanOrEqual(3);

  const t = body.dynamic_masks![0]!.trajectories;
  const first = t[0]!;
  const last = t[t.length - 1]!;
  // Bottom-left origin: image y 450 → API y 600 − 450 = 150 (small); image y 120 → 480 (large).
  expect(Math.abs(first.x - 200)).toBeLessThanOrEqual(2);
  expect(Math.abs(first.y - 150)).toBeLessThanOrEqual(2);
  expect(Math.abs(last.x - 650)).toBeLessThanOrEqual(2);
  expect(Math.abs(last.y - 480)).toBeLessThanOrEqual(2);
  expect(first.y).toBeLessThan(last.y);
});

test('undo takes a stroke out of the exported mask; redo and the keyboard shortcuts work too', async ({
  page,
  sim,
}) => {
  const { studio, editor } = await openBrush(page);
  await editor.paint({ x: 120, y: 300 }, { x: 180, y: 300 }); // stroke A, left
  await editor.paint({ x: 600, y: 300 }, { x: 660, y: 300 }); // stroke B, right
  await editor.undo.click(); // B gone
  await editor.redo.click(); // B back
  await editor.canvas.focus();
  await page.keyboard.press('ControlOrMeta+z'); // B gone again
  await expect(editor.redo).toBeEnabled();

  // [ and ] step the brush through round sizes (40 → 45 → 40); T picks the Trajectory tool.
  await expect(editor.brushSize).toHaveValue('40');
  await page.keyboard.press(']');
  await expect(editor.brushSize).toHaveValue('45');
  await page.keyboard.press('[');
  await expect(editor.brushSize).toHaveValue('40');
  await page.keyboard.press('t');
  await expect(editor.trajectory).toHaveAttribute('aria-pressed', 'true');
  await editor.drag(
    [
      { x: 150, y: 300 },
      { x: 400, y: 100 },
    ],
    20,
  );

  const body = await generate(studio, sim, 'undo');
  await expectWellFormed(body);
  const mask = await readMask(body.dynamic_masks![0]!.mask);
  expect(mask.white(150, 300)).toBe(true);
  expect(mask.white(630, 300)).toBe(false);
  expect(mask.bounds()!.maxX).toBeLessThan(250);
});

test('a reload keeps masks and paths, and they are sent as before', async ({ page, sim }) => {
  const { studio, editor } = await openBrush(page);
  await editor.paint({ x: 300, y: 400 }, { x: 380, y: 420 });
  await editor.drawPath({ x: 320, y: 410 }, { x: 500, y: 250 }, { x: 700, y: 100 });
  const points = await editor.pathPoints();
  expect(points).toBeGreaterThanOrEqual(2);
  await expect(editor.root.getByText('painted ·')).toBeVisible();
  await editor.settled();

  await page.reload();
  await studio.tab('Motion brush').click();
  await editor.ready(W, H);
  await expect(editor.mask('Dynamic mask 1')).toBeVisible();
  await editor.mask('Dynamic mask 1').click();
  await expect(editor.pathCount).toHaveText(`${points} / 77`);

  const body = await generate(studio, sim, 'reload');
  await expectWellFormed(body);
  const mask = await readMask(body.dynamic_masks![0]!.mask);
  expect(mask.white(340, 410)).toBe(true);
  expect(mask.white(700, 100)).toBe(false);
  const t = body.dynamic_masks![0]!.trajectories;
  expect(t).toHaveLength(points);
  expect(Math.abs(t[0]!.y - (H - 410))).toBeLessThanOrEqual(2);
  expect(Math.abs(t[t.length - 1]!.y - (H - 100))).toBeLessThanOrEqual(2);
});

test('two moving regions and a static one: preview plays, all three masks are sent, the video is made', async ({
  page,
  sim,
}) => {
  const { studio, editor } = await openBrush(page);
  await editor.staticMask.click();
  await editor.paint({ x: 380, y: 60 }, { x: 420, y: 60 });
  await editor.addDynamicMask.click();
  await editor.paint({ x: 100, y: 500 }, { x: 140, y: 500 });
  await editor.drawPath({ x: 120, y: 500 }, { x: 300, y: 350 });
  await editor.addDynamicMask.click();
  await editor.paint({ x: 700, y: 500 }, { x: 740, y: 500 });
  await editor.drawPath({ x: 720, y: 500 }, { x: 560, y: 300 });
  await expect(editor.root.getByText('2 / 6', { exact: true })).toBeVisible();

  await editor.previewMotion.click();
  await expect(editor.previewMotion).toHaveAttribute('aria-pressed', 'true');
  await expect(editor.root.getByText(/\d\.\d s \/ 5 s/)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(editor.previewMotion).toHaveAttribute('aria-pressed', 'false');

  const prompt = uniquePrompt('three masks');
  const body = await generate(studio, sim, 'three masks', prompt);
  await expectWellFormed(body);
  const still = await readMask(body.static_mask!);
  expect(still.white(400, 60)).toBe(true);
  expect(still.white(120, 500)).toBe(false);
  expect(body.dynamic_masks).toHaveLength(2);
  const [left, right] = await Promise.all(body.dynamic_masks!.map((d) => readMask(d.mask)));
  expect(left!.white(120, 500) && !left!.white(720, 500)).toBe(true);
  expect(right!.white(720, 500) && !right!.white(120, 500)).toBe(true);
  // Both paths go up (API y grows); the right one goes left.
  const [a, b] = body.dynamic_masks!.map((d) => d.trajectories);
  expect(a![a!.length - 1]!.y).toBeGreaterThan(a![0]!.y);
  expect(b![b!.length - 1]!.x).toBeLessThan(b![0]!.x);

  // The simulator accepted the masks and rendered a video of them.
  const tasks = new TasksPage(page);
  await tasks.expectFinished(prompt);
  await tasks.open(prompt);
  await tasks.expectVideoPlays();
});

// ── Polish from the creator tryout (issue 16 item 6) ──────────────────────────────────────────────────

test('Space+drag pans right after clicking Zoom in (focus still on it): the view moves, no mask appears, Zoom in is not pressed again', async ({
  page,
}) => {
  const { editor } = await openBrush(page);
  await editor.zoomIn.click();
  await expect(editor.zoomIn).toBeFocused();
  const before = await editor.view();
  const rows = await editor.maskRows();
  expect(rows).toEqual([]);

  const from = await editor.hover({ x: 400, y: 300 });
  await page.keyboard.down('Space');
  await page.mouse.down();
  await page.mouse.move(from.x + 120, from.y + 60, { steps: 10 });
  await page.mouse.up();
  await page.keyboard.up('Space');

  const after = await editor.view();
  // Panned by the drag, at the same zoom (a Space reaching the button would have zoomed in again).
  expect(after.scale).toBe(before.scale);
  expect(Math.abs(after.x - before.x - 120)).toBeLessThanOrEqual(1);
  expect(Math.abs(after.y - before.y - 60)).toBeLessThanOrEqual(1);
  expect(await editor.maskRows()).toEqual(rows);
  await expect(editor.root.getByText('No masks yet', { exact: false })).toBeVisible();
  await expect(editor.undo).toBeDisabled();

  // Without Space the same drag paints: the check above could have failed.
  await editor.drag([
    { x: 380, y: 300 },
    { x: 420, y: 300 },
  ]);
  await expect(editor.mask('Dynamic mask 1')).toBeVisible();
  expect(await editor.view()).toEqual(after);
});

test('shortcuts act with the pointer over the canvas while focus is elsewhere, and never while typing', async ({
  page,
}) => {
  const { studio, editor } = await openBrush(page);
  await editor.paint({ x: 300, y: 300 }, { x: 360, y: 300 });
  await expect(editor.root.getByText('painted · draw its path (T)')).toBeVisible();

  // Focus outside the editor (the Motion tab), the pointer resting on the canvas.
  const tab = studio.tab('Motion brush');
  await tab.focus();
  await editor.hover({ x: 500, y: 200 });
  await page.keyboard.press('e');
  await expect(editor.eraser).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('t');
  await expect(editor.trajectory).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('ControlOrMeta+z');
  await expect(editor.root.getByText('paint the area that moves', { exact: true })).toBeVisible();
  await expect(editor.redo).toBeEnabled();
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect(editor.root.getByText('painted · draw its path (T)')).toBeVisible();
  await expect(tab).toBeFocused();

  // The pointer off the canvas: the same key is not the editor's.
  const box = (await editor.canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y - 40);
  await page.keyboard.press('b');
  await expect(editor.trajectory).toHaveAttribute('aria-pressed', 'true');

  // Typing in the prompt with the pointer over the canvas: the letters are the prompt's.
  await studio.prompt.click();
  await editor.hover({ x: 500, y: 200 });
  await page.keyboard.type('bet');
  await page.keyboard.press('Space');
  await expect(studio.prompt).toHaveValue('bet ');
  await expect(editor.trajectory).toHaveAttribute('aria-pressed', 'true');
  await expect(editor.brush).toHaveAttribute('aria-pressed', 'false');
});

test('] stops at the slider’s max and [ steps back, the label agreeing with the slider', async ({ page }) => {
  const { editor } = await openBrush(page);
  // An 800 px wide frame: the slider offers up to a quarter of it.
  await expect(editor.brushSize).toHaveAttribute('max', '200');
  await editor.hover({ x: 400, y: 300 });
  const seen: string[] = [];
  for (let i = 0; i < 16; i++) {
    await page.keyboard.press(']');
    seen.push(await editor.brushSize.inputValue());
  }
  expect(seen.slice(0, 5)).toEqual(['45', '50', '60', '70', '80']);
  expect(seen.map(Number).every((v) => v <= 200)).toBe(true);
  await expect(editor.brushSize).toHaveValue('200');
  await expect(editor.brushSize).toHaveAttribute('max', '200');
  await expect(editor.brushSize).toHaveAttribute('aria-valuetext', '200 pixels');
  await expect(editor.root.getByText('200 px', { exact: true })).toBeVisible();
  await page.keyboard.press('[');
  await expect(editor.brushSize).toHaveValue('180');
  await expect(editor.root.getByText('180 px', { exact: true })).toBeVisible();
});

test('Ctrl+wheel zooms one bounded step about the pointer; a trackpad pinch zooms in proportion', async ({
  page,
}) => {
  const { editor } = await openBrush(page);
  const anchor = { x: 300, y: 200 };
  const at = await editor.hover(anchor);
  const v0 = await editor.view();

  // A big Ctrl+wheel notch (the tryout's 58 % → 1,173 %): one Zoom-in step at most.
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  await expect.poll(async () => (await editor.view()).scale).not.toBe(v0.scale);
  const v1 = await editor.view();
  expect(v1.scale / v0.scale).toBeGreaterThan(1.2);
  expect(v1.scale / v0.scale).toBeLessThanOrEqual(1.25 + 1e-9);
  await expect(editor.root.getByText(`${Math.round(v1.scale * 100)}%`, { exact: true })).toBeVisible();
  // About the pointer: the same image point stays under it.
  const under = await editor.toImage(at);
  expect(Math.abs(under.x - anchor.x)).toBeLessThanOrEqual(1);
  expect(Math.abs(under.y - anchor.y)).toBeLessThanOrEqual(1);

  // A pinch as Chromium reports it on a trackpad: ctrl+wheel with small fractional deltas, 1 % a pixel.
  await editor.canvas.evaluate((el, p) => {
    for (let i = 0; i < 10; i++)
      el.dispatchEvent(
        new WheelEvent('wheel', {
          deltaY: -2.5,
          ctrlKey: true,
          clientX: p.x,
          clientY: p.y,
          bubbles: true,
          cancelable: true,
        }),
      );
  }, at);
  await expect.poll(async () => (await editor.view()).scale).not.toBe(v1.scale);
  const v2 = await editor.view();
  expect(v2.scale / v1.scale).toBeCloseTo(Math.exp(0.25), 3);
});

/** A night-dark start frame (deep navy, a faint gradient), where the old grey static mask vanished. */
function darkFrame(): FilePayload {
  const png = pngImage(W, H, { pixel: (x, y) => [0x10 + (x * 8) / W, 0x18, 0x2a + (y * 8) / H] });
  return { name: 'night.png', mimeType: 'image/png', buffer: asBuffer(png) };
}

/** Greyscale spread of a canvas region on screen (image pixels a → b): min, max. */
async function luminanceRange(
  page: Page,
  editor: MaskEditor,
  a: { x: number; y: number },
  b: { x: number; y: number },
) {
  const [p, q] = [await editor.toPage(a), await editor.toPage(b)];
  const shot = await page.screenshot({ clip: { x: p.x, y: p.y, width: q.x - p.x, height: q.y - p.y } });
  const grey = await sharp(shot).greyscale().raw().toBuffer();
  let min = 255;
  let max = 0;
  for (const v of grey) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { min, max };
}

test('the static mask is hatched light and dark, plain to see on a dark picture', async ({ page }) => {
  const { editor } = await openBrush(page, darkFrame());
  await editor.staticMask.click();
  await editor.brushSize.fill('120');
  await editor.paint({ x: 250, y: 300 }, { x: 550, y: 300 });
  await expect(editor.root.getByText('painted · stays still', { exact: true })).toBeVisible();
  // The pointer off the canvas, so the brush ring is not in the pictures.
  const box = (await editor.canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y - 40);

  const plain = await luminanceRange(page, editor, { x: 300, y: 80 }, { x: 500, y: 140 });
  const masked = await luminanceRange(page, editor, { x: 300, y: 270 }, { x: 500, y: 330 });
  // The bare picture is uniformly dark…
  expect(plain.max).toBeLessThan(60);
  expect(plain.max - plain.min).toBeLessThan(16);
  // …and the mask over it has stripes far lighter than it, and others as dark.
  expect(masked.max).toBeGreaterThan(140);
  expect(masked.min).toBeLessThan(plain.max);
});

test('the mask editor has no serious accessibility violations, light and dark', async ({ page }) => {
  const { editor } = await openBrush(page);
  await editor.staticMask.click();
  await editor.paint({ x: 380, y: 60 }, { x: 420, y: 60 });
  await editor.addDynamicMask.click();
  await editor.paint({ x: 100, y: 500 }, { x: 140, y: 500 });
  await editor.drawPath({ x: 120, y: 500 }, { x: 300, y: 350 });
  await expect(editor.root.getByText(/^painted · moves along \d+ points$/)).toBeVisible();
  const scope = '[role="application"][aria-label="Mask editor"]';
  await page.emulateMedia({ colorScheme: 'light' });
  await expectNoSeriousA11yViolations(page, 'the mask editor (light)', scope);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoSeriousA11yViolations(page, 'the mask editor (dark)', scope);
});
