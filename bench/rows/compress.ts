import { grainyPng } from '../../e2e/assets/bad-images.ts';
import { StudioPage } from '../../e2e/pages/studio-page.ts';
import { launchBrowser } from '../lib/browser.ts';
import { type RowResult, ratioRow } from '../lib/row.ts';
import { median } from '../lib/stats.ts';
import { startStudio } from '../lib/studio.ts';

/** Issue 16: Compress of a 12 MB PNG in this machine's Chromium within 1.5 s. */
const BUDGET_MS = 1500;
const RUNS = 6;
const WIDTH = 2800;
const HEIGHT = 1900;

/**
 * "Compress" on a refused 12.6 MB PNG (a photo-like 2800×1900 with grain, e2e/assets/bad-images.ts), driven
 * through the real studio in headless Chromium: from the click to the compressed JPEG being the accepted
 * start frame (decode, quality search, encode, and the same checks as a picked file). Against the budget,
 * and against decoding the same PNG (createImageBitmap) in the same page.
 */
export async function compressRows(): Promise<RowResult[]> {
  const png = grainyPng(WIDTH, HEIGHT);
  const studio = await startStudio({}, 8913);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // tsx compiles the in-page callbacks below with esbuild's keepNames, which calls a __name helper.
    await page.addInitScript('globalThis.__name = (f) => f;');
    // The same bytes for the baseline, served on the studio's origin (its CSP allows only 'self').
    await page.route(`${studio.url}/__bench/big.png`, (route) =>
      route.fulfill({ body: png, contentType: 'image/png' }),
    );
    const ui = new StudioPage(page);
    await page.goto(studio.url);
    await ui.generate.waitFor();
    const compress = page.getByRole('button', { name: 'Compress', exact: true });
    const fixed = ui.frameMeta(WIDTH, HEIGHT);

    const clickToAccepted: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (await fixed.count()) await page.getByRole('button', { name: 'Remove start image' }).click();
      await ui.uploadStart({ name: 'camera.png', mimeType: 'image/png', buffer: png });
      await compress.waitFor();
      const ms = await page.evaluate(
        async ({ text }) => {
          const button = [...document.querySelectorAll('button')].find(
            (b) => b.textContent?.trim() === 'Compress',
          ) as HTMLButtonElement;
          const accepted = () =>
            [...document.querySelectorAll('.frame-meta span')].some((s) => s.textContent === text);
          const t0 = performance.now();
          button.click();
          await new Promise<void>((resolve) => {
            const tick = () => (accepted() ? resolve() : requestAnimationFrame(tick));
            tick();
          });
          return performance.now() - t0;
        },
        { text: `${WIDTH} × ${HEIGHT} px` },
      );
      // The first run loads the fix's code and warms the encoder: the rest are what a creator waits.
      if (i > 0) clickToAccepted.push(ms);
      process.stderr.write(`[bench] compress: run ${i + 1}: ${ms.toFixed(0)} ms\n`);
    }

    const decode: number[] = await page.evaluate(
      async ({ url, runs }) => {
        const blob = await (await fetch(url)).blob();
        const out: number[] = [];
        for (let i = 0; i <= runs; i++) {
          const t0 = performance.now();
          const bitmap = await createImageBitmap(blob);
          const ms = performance.now() - t0;
          bitmap.close();
          if (i > 0) out.push(ms);
        }
        return out;
      },
      { url: `${studio.url}/__bench/big.png`, runs: RUNS - 1 },
    );

    const value = median(clickToAccepted);
    const how = `headless Chromium, production build: a ${(png.length / 1048576).toFixed(1)} MB ${WIDTH}×${HEIGHT} PNG refused, then Compress clicked; timed in the page until the JPEG is the accepted frame (×${RUNS - 1} after a warm-up)`;
    return [
      ratioRow({
        row: 'compress',
        metric: 'median ms Compress → accepted, 12.6 MB PNG, vs the 1.5 s goal',
        value,
        baseline: BUDGET_MS,
        unit: 'ms',
        goal: { max: 1.0 },
        how,
        samples: { clickToAccepted },
      }),
      ratioRow({
        row: 'compress',
        metric: 'median ms Compress → accepted vs decoding the same PNG',
        value,
        baseline: median(decode),
        unit: 'ms',
        goal: null,
        how: `${how}; baseline: createImageBitmap of the same bytes in the same page`,
        samples: { clickToAccepted, decode },
      }),
    ];
  } finally {
    await browser.close();
    await studio.stop();
  }
}
