import { pngImage } from '../contract/testing/test-images.ts';
import { unitsWords } from '../contract/words/setup-words.ts';
import { asBuffer } from './assets/frame-images.ts';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { expect, test } from './fixtures.ts';
import { MaskEditor } from './pages/mask-editor.ts';
import { StudioPage } from './pages/studio-page.ts';
import { createTaskViaApi, TasksPage, uniquePrompt } from './pages/tasks-page.ts';

// Each test waits for real renders, which queue behind other spec files' renders.
test.describe.configure({ timeout: 180_000 });

/** A Kling 1.0 Standard task (the quickest render), made through the API as another tab would. */
const quickTask = (request: Parameters<typeof createTaskViaApi>[0], prompt: string) =>
  createTaskViaApi(request, { prompt, model_name: 'kling-v1', mode: 'std', camera_control: undefined });

/** A 720×1280 portrait start frame: another size than the tasks' 1280×720, so a restore is visible. */
const portrait = () => ({
  name: 'portrait.png',
  mimeType: 'image/png',
  buffer: asBuffer(pngImage(720, 1280, { blue: 90 })),
});

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('a finished result opens in the Result viewer with its video inside the viewport, light and dark', async ({
      page,
      request,
    }) => {
      const tasks = new TasksPage(page);
      const prompt = uniquePrompt(`viewer ${viewport.width}`);
      await quickTask(request, prompt);
      await tasks.goto();
      await tasks.expectFinished(prompt);
      // The card shows a frame of the result (its poster), not the start frame.
      const poster = tasks.row(prompt).locator('img');
      await expect(poster).toHaveAttribute('src', /\/poster$/);
      await expect.poll(() => poster.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);

      await tasks.open(prompt);
      await expect(tasks.video).toBeInViewport({ ratio: 1 });
      await expect(tasks.download).toBeInViewport();
      await expect(tasks.generateAgain).toBeInViewport();
      await tasks.expectVideoPlays();
      // The ids are folded away until asked for.
      await expect(tasks.detail.getByText('Task id', { exact: true })).toBeHidden();
      await tasks.showDetails();
      await expect(tasks.detail.getByText('Task id', { exact: true })).toBeVisible();

      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await expectNoSeriousA11yViolations(page, `the Result viewer (${colorScheme})`, '.result-dialog');
      }
      // Escape closes it, and the gallery passes axe too.
      await page.keyboard.press('Escape');
      await expect(tasks.detail).toHaveCount(0);
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await expectNoSeriousA11yViolations(page, `the gallery (${colorScheme})`, '.tasks-panel');
      }
    });
  });
}

test('hovering a finished card plays its video muted, inline, and leaving stops it', async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const tasks = new TasksPage(page);
  const prompt = uniquePrompt('hover');
  await quickTask(request, prompt);
  await tasks.goto();
  await tasks.expectFinished(prompt);
  const card = tasks.row(prompt);
  await expect(card.locator('video')).toHaveCount(0);

  await card.hover();
  const video = card.locator('video');
  await expect(video).toHaveCount(1);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0.3);
  expect(await video.evaluate((v: HTMLVideoElement) => [v.muted, v.paused])).toEqual([true, false]);

  await page.mouse.move(2, 2);
  await expect(card.locator('video')).toHaveCount(0);
});

test('Generate again wears its cost and creates a task with the same request under a new external id', async ({
  page,
  request,
  sim,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const tasks = new TasksPage(page);
  const prompt = uniquePrompt('again');
  const made = await createTaskViaApi(request, { prompt });
  await tasks.goto();
  await tasks.expectFinished(prompt);
  await tasks.open(prompt);
  // Kling 1.5 Pro 5 s with a camera move: the price list's figure, in units, on the button.
  expect(made.price).not.toBeNull();
  await expect(tasks.generateAgain).toHaveText(`Generate again · ${unitsWords(made.price!.units)}`);

  const before = (await sim.requests()).length;
  await tasks.generateAgain.click();
  await expect(tasks.row(prompt)).toHaveCount(2);
  const sent = await sim.requestWithPrompt(before, prompt);
  expect(sent.body.external_task_id).not.toBe(made.externalTaskId);
  expect(sent.body).toMatchObject({
    model_name: 'kling-v1-5',
    mode: 'pro',
    camera_control: { type: 'simple' },
  });
  // The viewer now follows the new task.
  await tasks.showDetails();
  await expect(tasks.detail.getByText(sent.body.external_task_id!, { exact: true })).toBeVisible();
});

test('picked results: the selection bar compares two with a wipe, in step, and downloads both', async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const tasks = new TasksPage(page);
  const left = uniquePrompt('wipe left');
  const right = uniquePrompt('wipe right');
  await quickTask(request, left);
  await quickTask(request, right);
  await tasks.goto();
  for (const p of [left, right]) await tasks.expectFinished(p);

  await tasks.pick(left);
  await expect(tasks.selectionBar).toContainText('1 picked');
  await expect(tasks.compareButton).toBeDisabled();
  await tasks.pick(right);
  await expect(tasks.selectionBar).toContainText('2 picked');

  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await tasks.selectionBar.getByRole('button', { name: 'Download' }).click();
  await expect.poll(() => downloads.length).toBe(2);
  expect(downloads.every((f) => /^motion-studio-.+\.mp4$/.test(f))).toBe(true);

  await tasks.compareButton.click();
  const dialog = tasks.compareDialog;
  await expect(dialog.locator('video')).toHaveCount(2);
  await dialog.getByRole('radio', { name: 'Wipe' }).check();
  const wipe = dialog.getByRole('slider', { name: 'Wipe' });
  await expect(wipe).toHaveValue('50');
  const second = dialog.locator('video').nth(1);
  const clip = () => second.evaluate((v) => (v.parentElement as HTMLElement).style.clipPath);
  expect(await clip()).toBe('inset(0px 50% 0px 0px)');
  await wipe.fill('80');
  expect(await clip()).toBe('inset(0px 20% 0px 0px)');
  // One over the other: both videos share one box.
  const [a, b] = await dialog
    .locator('video')
    .evaluateAll((vs) => vs.map((v) => v.getBoundingClientRect().toJSON()));
  expect(Math.abs(a.x - b.x) + Math.abs(a.y - b.y) + Math.abs(a.width - b.width)).toBeLessThan(2);

  await dialog.getByRole('button', { name: 'Play both' }).click();
  const times = () =>
    dialog.locator('video').evaluateAll((vs) => vs.map((v) => (v as HTMLVideoElement).currentTime));
  await expect.poll(async () => Math.min(...(await times()))).toBeGreaterThan(0.5);
  const [ta, tb] = await times();
  expect(Math.abs(ta! - tb!)).toBeLessThan(0.25);
  await expectNoSeriousA11yViolations(page, 'the Compare dialog with the wipe', '.compare-dialog');

  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await tasks.selectionBar.getByRole('button', { name: 'Clear' }).click();
  await expect(tasks.selectionBar).toHaveCount(0);
});

test('Remix over a draft with work offers Restore my draft, which brings back the draft and its masks', async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const studio = new StudioPage(page);
  const tasks = new TasksPage(page);
  const prompt = uniquePrompt('remix undo');
  await quickTask(request, prompt);
  await tasks.goto();

  // A draft with work: a portrait start frame, words, and a painted motion-brush mask with a path.
  await studio.model.selectOption('kling-v1');
  await studio.uploadStart(portrait());
  await expect(studio.frameMeta(720, 1280)).toBeVisible();
  await studio.prompt.fill('my own draft, not the task');
  await studio.tab('Motion brush').click();
  const editor = new MaskEditor(page);
  await editor.ready(720, 1280);
  await editor.addDynamicMask.click();
  await editor.brush.click();
  await editor.paint({ x: 200, y: 400 }, { x: 500, y: 600 });
  await editor.drawPath({ x: 350, y: 500 }, { x: 500, y: 300 });
  const masks = page.getByRole('region', { name: 'Masks' });
  await expect(masks.getByRole('listitem').filter({ hasText: 'painted' })).toHaveCount(1);

  await tasks.expectFinished(prompt);
  await tasks.open(prompt);
  await tasks.remix.click();
  await expect(tasks.detail).toHaveCount(0);
  await expect(studio.prompt).toHaveValue(prompt);
  await expect(studio.frameMeta(1280, 720)).toBeVisible();

  const restore = page.getByRole('button', { name: 'Restore my draft' });
  await expect(page.getByText('Remix replaced your draft')).toBeVisible();
  await restore.click();
  await expect(studio.prompt).toHaveValue('my own draft, not the task');
  await expect(studio.frameMeta(720, 1280)).toBeVisible();
  await expect(studio.model).toHaveValue('kling-v1');
  await studio.tab('Motion brush').click();
  await expect(masks.getByRole('listitem').filter({ hasText: 'painted' })).toHaveCount(1);
  await expect(masks.getByText(/^painted · moves along \d+ points$/)).toBeVisible();
  await expect(restore).toHaveCount(0);
});
