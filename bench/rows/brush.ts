import type { Page } from '@playwright/test';
import { MaskEditor } from '../../e2e/pages/mask-editor.ts';
import { StudioPage } from '../../e2e/pages/studio-page.ts';
import { scenePng } from '../fixtures/scene.ts';
import { launchBrowser } from '../lib/browser.ts';
import { type RowResult, ratioRow } from '../lib/row.ts';
import { median, percentile } from '../lib/stats.ts';
import { startStudio } from '../lib/studio.ts';

const SIDE = 4096;
const FRAME_MS = 1000 / 60;

/**
 * The motion brush on a 4096×4096 start frame in headless Chromium, driven through the real studio:
 * brush_frame — each pointer-move's cost, paint and draw; mask_export — a static and six dynamic masks
 * exported for Kling, vs one canvas.toBlob of the same size in the same page.
 */
export async function brushRows(): Promise<RowResult[]> {
  const studio = await startStudio({}, 8892);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    // tsx compiles the in-page callbacks below with esbuild's keepNames, which calls a __name helper.
    await page.addInitScript('globalThis.__name = (f) => f;');
    await page.goto(studio.url);
    const ui = new StudioPage(page);
    // The motion brush is kling-v1's (and kling-v1-5 pro's); a new draft starts on a current model.
    await ui.model.selectOption('kling-v1');
    await ui.uploadStart({ name: 'big.png', mimeType: 'image/png', buffer: await scenePng(SIDE, SIDE) });
    await ui.frameMeta(SIDE, SIDE).waitFor();
    await ui.tab('Motion brush').click();
    const editor = new MaskEditor(page);
    await editor.ready(SIDE, SIDE);
    await editor.addDynamicMask.click();
    await editor.brush.click();
    const log = (m: string) => process.stderr.write(`[bench] brush: ${m}\n`);
    log('stroke');
    const stroke = await strokeCosts(page, editor);
    log('masks and export');
    const exportRow = await maskExport(page, editor);
    return [
      ratioRow({
        row: 'brush_frame',
        metric: 'p95 ms per pointer-move (paint + draw), 4096² frame',
        value: percentile(stroke, 95),
        baseline: FRAME_MS,
        unit: 'ms',
        goal: { max: 1.0 },
        how: `300 pointermoves dispatched one per animation frame on the editor; each = handler time + the next frame's rAF work (median ${median(stroke).toFixed(2)} ms)`,
        samples: stroke,
      }),
      exportRow,
    ];
  } finally {
    await browser.close();
    await studio.stop();
  }
}

/** 300 moves of one stroke, lower-left to upper-right, timed inside the page. */
async function strokeCosts(page: Page, editor: MaskEditor): Promise<number[]> {
  const from = await editor.toPage({ x: SIDE * 0.15, y: SIDE * 0.85 });
  const to = await editor.toPage({ x: SIDE * 0.85, y: SIDE * 0.15 });
  return page.evaluate(
    async ({ from, to }) => {
      const host = document.querySelector('[data-image-width]') as HTMLElement;
      const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
      const fire = (type: string, x: number, y: number, buttons: number) =>
        host.dispatchEvent(
          new PointerEvent(type, {
            bubbles: true,
            cancelable: true,
            pointerId: 1,
            pointerType: 'mouse',
            isPrimary: true,
            clientX: x,
            clientY: y,
            button: 0,
            buttons,
          }),
        );
      fire('pointerdown', from.x, from.y, 1);
      const costs: number[] = [];
      for (let i = 1; i <= 300; i++) {
        await frame();
        const x = from.x + ((to.x - from.x) * i) / 300;
        const y = from.y + ((to.y - from.y) * i) / 300 + Math.sin(i / 7) * 20;
        const t0 = performance.now();
        fire('pointermove', x, y, 1);
        const handler = performance.now() - t0;
        // Registered after the editor's own rAF (scheduled by the move), so it runs once that is done.
        const drawn = await new Promise<number>((r) =>
          requestAnimationFrame((ts) => r(performance.now() - ts)),
        );
        costs.push(handler + drawn);
      }
      fire('pointerup', to.x, to.y, 0);
      return costs;
    },
    { from, to },
  );
}

async function maskExport(page: Page, editor: MaskEditor): Promise<RowResult> {
  // Seven masks, each with paint; the six dynamic ones with a path.
  const band = (i: number) => ({ y: SIDE * (0.1 + i * 0.12) });
  await editor.staticMask.click();
  await editor.paint({ x: SIDE * 0.05, y: SIDE * 0.95 }, { x: SIDE * 0.3, y: SIDE * 0.95 });
  // The first dynamic mask already has the benchmark stroke; give it a path, then add five more.
  for (let i = 0; i < 6; i++) {
    if (i === 0) await editor.mask('Dynamic mask 1').click();
    else {
      await editor.addDynamicMask.click();
      await editor.paint({ x: SIDE * 0.2, ...band(i) }, { x: SIDE * 0.4, ...band(i) });
    }
    await editor.drawPath({ x: SIDE * 0.3, ...band(i) }, { x: SIDE * 0.7, y: band(i).y - SIDE * 0.05 });
  }
  await page.getByRole('button', { name: 'Generate', exact: true }).waitFor();
  const times = await page.evaluate(async (side) => {
    // Baseline: one PNG encode of a 4096² canvas with comparable content.
    const canvas = document.createElement('canvas');
    canvas.width = side;
    canvas.height = side;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, side, side);
    ctx.fillStyle = '#fff';
    ctx.beginPath();
    ctx.arc(side / 2, side / 2, side / 5, 0, Math.PI * 2);
    ctx.fill();
    const tb = performance.now();
    await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
    const toBlob = performance.now() - tb;
    // Measured: Generate → the moment the request with every mask leaves the page.
    const realFetch = window.fetch;
    let sentAt = 0;
    const sent = new Promise<void>((resolve) => {
      window.fetch = (input, init) => {
        if (String(input).endsWith('/api/tasks') && init?.method === 'POST') {
          sentAt = performance.now();
          resolve();
        }
        return realFetch(input, init);
      };
    });
    const generate = [...document.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Generate',
    )!;
    const t0 = performance.now();
    generate.click();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () =>
          reject(
            new Error(`Generate sent nothing: ${document.querySelector('.reasons')?.textContent ?? ''}`),
          ),
        30_000,
      ),
    );
    await Promise.race([sent, timeout]);
    window.fetch = realFetch;
    return { toBlob, exportMs: sentAt - t0 };
  }, SIDE);
  return ratioRow({
    row: 'mask_export',
    metric: '7 masks at 4096² → PNG + base64 (ms)',
    value: times.exportMs,
    baseline: times.toBlob,
    unit: 'ms',
    goal: { max: 8 },
    how: 'Generate click → POST /api/tasks leaves the page (masks encoded, base64, request built and checked) vs one canvas.toBlob(png) of 4096² in the same page',
    samples: times,
  });
}
