import { frameImages } from './assets/frame-images.ts';
import { expect, test, uniquePrompt } from './fixtures.ts';
import { StudioPage } from './pages/studio-page.ts';
import { FINISH_TIMEOUT_MS, TasksPage } from './pages/tasks-page.ts';

test('camera move: upload, switch to the model that has it, move one axis, generate exactly that config', async ({
  page,
  sim,
}) => {
  const studio = new StudioPage(page);
  await studio.goto();
  const start = await frameImages.valid();
  await studio.uploadStart(start);
  await expect(studio.frameMeta(1280, 720)).toBeVisible();

  await studio.tab('Camera').click();
  await studio.switchTo('Kling 1.5 · Pro · 5 s');
  await expect(studio.model).toHaveValue('kling-v1-5');
  await expect(studio.mode).toHaveValue('pro');
  await expect(studio.duration).toHaveValue('5');

  // One axis at a time: moving Pan puts Zoom back to 0, visibly.
  await studio.slider('Zoom').fill('3');
  await studio.slider('Pan').fill('5');
  await expect(studio.slider('Zoom')).toHaveValue('0');
  await expect(page.getByText('Pan moved, so Zoom went back to 0', { exact: false })).toBeVisible();
  await expect(page.getByText('Camera — Pan +5: the camera turns right')).toBeVisible();

  const prompt = uniquePrompt('camera');
  await studio.prompt.fill(prompt);
  const before = (await sim.requests()).length;
  await studio.submit();
  await expect(studio.submitted).toBeVisible();

  const { body } = await sim.requestWithPrompt(before, prompt);
  expect(body.camera_control).toEqual({
    type: 'simple',
    config: { horizontal: 0, vertical: 0, pan: 5, tilt: 0, roll: 0, zoom: 0 },
  });
  expect(body).toMatchObject({ model_name: 'kling-v1-5', mode: 'pro', duration: '5' });
  expect(body.image_tail).toBeUndefined();
  expect(body.static_mask ?? body.dynamic_masks).toBeUndefined();
  // The frame's own bytes, as raw base64 without a data: prefix.
  expect(body.image).toBe(start.buffer.toString('base64'));
});

test('start and end frames: both images are sent, and no other motion', async ({ page, sim }) => {
  const studio = new StudioPage(page);
  await studio.goto();
  // The studio starts on kling-v2-6, whose std mode has no end frame; kling-v1 std 5s has one.
  await studio.model.selectOption('kling-v1');
  // Camera work in another tab is kept but must not be sent.
  await studio.tab('Camera').click();
  await studio.slider('Roll').fill('-2');
  await studio.uploadStart(await frameImages.valid());
  const end = await frameImages.validEnd();
  await studio.uploadEnd(end);
  await expect(studio.frameMeta(1280, 720)).toHaveCount(2);
  await expect(page.getByText('Only the active tab is sent')).toContainText('Start & end frames');

  const prompt = uniquePrompt('frames');
  await studio.prompt.fill(prompt);
  const before = (await sim.requests()).length;
  await studio.submit();
  await expect(studio.submitted).toBeVisible();

  const { body } = await sim.requestWithPrompt(before, prompt);
  expect(body).toMatchObject({ model_name: 'kling-v1', mode: 'std', duration: '5' });
  expect(body.image_tail).toBe(end.buffer.toString('base64'));
  expect(body.camera_control).toBeUndefined();
});

test('motion brush tab: the painted mask is sent, and only it', async ({ page, sim }) => {
  const studio = new StudioPage(page);
  await studio.goto();
  // The motion brush is a kling-v1 (std/pro 5s) and kling-v1-5 (pro 5s) feature; the studio starts on kling-v2-6.
  await studio.model.selectOption('kling-v1');
  await studio.uploadStart(await frameImages.valid());
  await studio.uploadEnd(await frameImages.validEnd());
  await studio.tab('Motion brush').click();
  await expect(studio.generateReasons).toContainText('nothing is painted yet');
  await page.getByRole('button', { name: 'Static mask', exact: true }).click();
  await studio.paintStroke();
  const prompt = uniquePrompt('brush');
  await studio.prompt.fill(prompt);
  const before = (await sim.requests()).length;
  await studio.submit();
  await expect(studio.submitted).toBeVisible();

  const { body } = await sim.requestWithPrompt(before, prompt);
  // A PNG at the start frame's size, raw base64.
  expect(body.static_mask).toMatch(/^iVBORw0KGgo/);
  expect(body.image_tail ?? body.camera_control ?? body.dynamic_masks).toBeUndefined();
});

// Refused files (each image rule, through both frame inputs and straight to the API): bad-input.spec.ts.

test('options that cannot carry the setup are disabled and say why', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto();
  await studio.model.selectOption('kling-v1');
  await studio.uploadStart(await frameImages.valid());
  await studio.tab('Camera').click();

  // On Kling 1.0 · Standard · 5 s, camera control is unavailable: Generate says so and stays off.
  await expect(studio.generateReasons).toContainText(
    'camera control is not available on Kling 1.0 · Standard · 5 s; it is available on Kling 1.5 · Pro · 5 s',
  );
  await expect(studio.generate).toBeDisabled();
  await expect(studio.option(studio.model, 'kling-v2-1')).toBeDisabled();
  await expect(studio.option(studio.model, 'kling-v2-1')).toHaveText(/no camera control/);
  await expect(studio.option(studio.model, 'kling-v1-5')).toBeEnabled();

  await studio.switchTo('Kling 1.5 · Pro · 5 s');
  await expect(studio.option(studio.model, 'kling-v1')).toBeDisabled();
  await expect(studio.option(studio.mode, 'std')).toBeDisabled();
  await expect(studio.option(studio.mode, 'std')).toHaveText(/no camera control in Standard/);
  await expect(studio.option(studio.duration, '10')).toBeDisabled();
  await expect(studio.option(studio.duration, '10')).toHaveText(/no camera control at 10 s/);

  // Prompt strength (cfg_scale) only where the model takes it.
  await expect(page.getByLabel('Prompt strength')).toBeVisible();
  await studio.tab('Start & end frames').click();
  await studio.model.selectOption('kling-v2-1');
  await expect(page.getByLabel('Prompt strength')).toHaveCount(0);
  // Sound and voices only on kling-v2-6 pro, with the offer to switch.
  await expect(page.getByRole('switch', { name: 'Sound' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Switch to Kling 2.6 · Pro · 5 s' })).toBeVisible();
});

test('a reload keeps the draft, frames included', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto();
  await studio.uploadStart(await frameImages.valid());
  await studio.uploadEnd(await frameImages.validEnd());
  await studio.tab('Camera').click();
  await studio.switchTo('Kling 1.5 · Pro · 5 s');
  await studio.slider('Zoom').fill('-3');
  await studio.prompt.fill('The lake ripples');
  await studio.negativePrompt.fill('blur');
  await expect(studio.requestJson).toBeAttached();
  // Saving is asynchronous (IndexedDB): wait until the last edit is stored before reloading.
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const r = indexedDB.open('motion-studio-draft');
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        const value = await new Promise<unknown>((resolve) => {
          const r = db.transaction('kv').objectStore('kv').get('motion-studio:draft');
          r.onsuccess = () => resolve(r.result);
        });
        db.close();
        return (value as { state?: { negativePrompt?: string } } | undefined)?.state?.negativePrompt;
      }),
    )
    .toBe('blur');

  await page.reload();
  await expect(studio.generate).toBeVisible();
  await expect(studio.prompt).toHaveValue('The lake ripples');
  await expect(studio.negativePrompt).toHaveValue('blur');
  await expect(studio.model).toHaveValue('kling-v1-5');
  await expect(studio.tab('Camera')).toHaveAttribute('aria-selected', 'true');
  await expect(studio.slider('Zoom')).toHaveValue('-3');
  await expect(page.getByRole('img', { name: 'Start frame preview' })).toBeVisible();
  await studio.tab('Start & end frames').click();
  await expect(page.getByRole('img', { name: 'End frame preview' })).toBeVisible();
  await expect(studio.frameMeta(1280, 720)).toHaveCount(2);
});

test('a refused submit keeps everything and says why', async ({ page, sim }) => {
  const studio = new StudioPage(page);
  const tasks = new TasksPage(page);
  await studio.goto();
  await studio.uploadStart(await frameImages.valid());
  // The simulator's content-policy fault (1301), as Kling answers a refused prompt. The press is accepted
  // at once (the studio's queue, issue 17); Kling's refusal then fails the task, in plain words.
  const prompt = `${uniquePrompt('refused')} [sim:1301]`;
  await studio.prompt.fill(prompt);
  const before = (await sim.requests()).length;
  await studio.submit();
  await expect(studio.submitted).toBeVisible();
  await expect(tasks.rowStatus(prompt, 'Failed')).toBeVisible({ timeout: FINISH_TIMEOUT_MS });
  await tasks.open(prompt);
  await expect(tasks.failure).toContainText('content policy');
  await page.keyboard.press('Escape');
  await expect(studio.prompt).toHaveValue(prompt);
  await expect(studio.frameMeta(1280, 720)).toBeVisible();
  await expect(studio.generate).toBeEnabled();
  // The refusal is Kling's (the simulator's), not the studio's: the request did go out.
  await sim.requestWithPrompt(before, prompt);
});

test('request JSON shows what is sent with images elided', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto();
  await studio.uploadStart(await frameImages.valid());
  await studio.setCamera('Tilt', -4);
  await page.getByText('Request JSON', { exact: true }).click();
  await expect(studio.requestJson).toContainText('"camera_control"');
  const json = JSON.parse((await studio.requestJson.textContent()) ?? '{}');
  expect(json.image).toMatch(/^<base64 PNG 1280×720, .+ — elided>$/);
  expect(json.camera_control).toEqual({
    type: 'simple',
    config: { horizontal: 0, vertical: 0, pan: 0, tilt: -4, roll: 0, zoom: 0 },
  });
});

test('try a sample: one click gives a drawn start frame and a prompt; the list offers the others', async ({
  page,
}) => {
  const studio = new StudioPage(page);
  await studio.goto();
  const trySample = page.getByRole('button', { name: 'Try a sample', exact: true });
  // On an empty draft the first press loads a sample at once, and leaves the list open for another.
  await trySample.click();
  await expect(studio.frameMeta(1280, 720)).toBeVisible();
  await expect(studio.prompt).not.toHaveValue('');
  await expect(page.getByRole('button', { name: /Alpine lake at dusk/ })).toHaveAttribute(
    'aria-current',
    'true',
  );
  const samples: [RegExp, number, number][] = [
    [/Neon city at night/, 1280, 720],
    [/Lighthouse on the cliffs/, 720, 1280],
    [/Alpine lake at dusk/, 1280, 720],
  ];
  for (const [name, width, height] of samples) {
    if ((await trySample.getAttribute('aria-expanded')) !== 'true') await trySample.click();
    await page.getByRole('button', { name }).click();
    await expect(studio.frameMeta(width, height)).toBeVisible();
    await expect(trySample).toHaveAttribute('aria-expanded', 'false');
  }
  await expect(studio.generate).toBeEnabled();
});

test('the motion tabs work from the keyboard', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto();
  await studio.tab('Start & end frames').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(studio.tab('Camera')).toBeFocused();
  await expect(studio.tab('Camera')).toHaveAttribute('aria-selected', 'true');
  await expect(studio.slider('Horizontal')).toBeVisible();
});
