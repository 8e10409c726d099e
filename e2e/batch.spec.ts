import { queueStateSchema } from '../contract/schemas/studio-api.ts';
import { pngImage } from '../contract/testing/test-images.ts';
import { queueCountWords } from '../web/features/composer/press-words.ts';
import { asBuffer, type FilePayload, frameImages } from './assets/frame-images.ts';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { expect, type SimRequest, test, uniquePrompt } from './fixtures.ts';
import { StudioPage } from './pages/studio-page.ts';
import { TasksPage } from './pages/tasks-page.ts';

/** Five different 1280×720 pictures (each its own blue), as a creator would drop a shoot's stills. */
const stills = (n: number): FilePayload[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `still-${i + 1}.png`,
    mimeType: 'image/png',
    buffer: asBuffer(pngImage(1280, 720, { blue: 30 + i * 40 })),
  }));

/** What Kling is asked to make: the body without the fields that differ on every create by design. */
function shared(r: SimRequest) {
  const { external_task_id: _id, callback_url: _cb, ...rest } = r.body;
  return rest;
}

/** The current time and paused state of each video in Compare, read in one go. */
const compareTimes = (tasks: TasksPage) =>
  tasks.compareDialog
    .locator('video')
    .evaluateAll((videos) => (videos as HTMLVideoElement[]).map((v) => [v.currentTime, v.paused] as const));

/** "4.5 units (≈ $0.63) …" → 4.5 */
const unitsIn = (text: string) => Number(/([\d.]+) units?/.exec(text)?.[1]);

async function waitForCreates(
  sim: { requestsSince(n: number): Promise<SimRequest[]> },
  before: number,
  prompt: string,
  n: number,
) {
  let found: SimRequest[] = [];
  await expect
    .poll(async () => {
      found = (await sim.requestsSince(before)).filter((r) => r.body.prompt === prompt);
      return found.length;
    })
    .toBe(n);
  return found;
}

test('Takes ×3: the button says "Generate ×3 · N units", one press makes three tasks, Kling gets three identical creates under distinct ids; the gallery groups them and Compare plays all three in step', async ({
  page,
  request,
  sim,
}) => {
  test.setTimeout(180_000);
  const WORDS = 'Batch of 3 · Kling 2.6 · Standard · 5 s';
  await page.setViewportSize({ width: 1440, height: 900 });
  const studio = new StudioPage(page);
  const tasks = new TasksPage(page);
  await studio.goto();
  await studio.uploadStart(await frameImages.valid());
  await expect(studio.frameMeta(1280, 720)).toBeVisible();
  const prompt = uniquePrompt('takes');
  await studio.prompt.fill(prompt);
  await expect(studio.generate).toBeEnabled();
  const one = unitsIn((await studio.actionBar.locator('.action-bar__cost').textContent()) ?? '');
  expect(one).toBeGreaterThan(0);

  await studio.takes.selectOption('3');
  // The total is on the button; with one take its name is exactly "Generate" again.
  await expect(studio.generateTakes(3)).toHaveAccessibleName(
    `Generate ×3 · ${Math.round(one * 300) / 100} units`,
  );
  await expect(studio.generate).toHaveCount(0);

  const before = (await sim.requests()).length;
  await studio.generateTakes(3).click();
  await expect(studio.submittedMany).toContainText('Submitted as 3 tasks');
  // The queue's counts are in the bar while the takes are on their way …
  await expect(studio.queueCounts()).toBeVisible();

  const creates = await waitForCreates(sim, before, prompt, 3);
  expect(new Set(creates.map((r) => r.body.external_task_id)).size).toBe(3);
  expect(shared(creates[1]!)).toEqual(shared(creates[0]!));
  expect(shared(creates[2]!)).toEqual(shared(creates[0]!));
  expect(creates[0]!.body).toMatchObject({ model_name: 'kling-v2-6', mode: 'std', duration: '5' });

  // The three results sit together in the gallery, under their batch's header.
  const batch = tasks.batch(WORDS).filter({ hasText: prompt });
  await expect(batch.getByRole('listitem')).toHaveCount(3);
  await tasks.expectBatchSucceeded(batch, prompt, 3);
  // … and the counts follow the task events, not a page load: they come to say what the studio holds
  // now. (Not "none": other specs share this studio, and their tasks count too.)
  await expect
    .poll(async () => {
      const state = queueStateSchema.parse(await (await request.get('/api/queue')).json());
      const shown = (await studio.queueCounts().count()) ? await studio.queueCounts().textContent() : null;
      const words = queueCountWords(state);
      return words === undefined ? shown === null : (shown ?? '').startsWith(words);
    })
    .toBe(true);

  // This batch's own Compare (its header row holds the list of its cards).
  expect(await tasks.reveal(prompt)).toBe(true);
  await tasks.gallery
    .getByRole('listitem')
    .filter({ has: page.getByRole('list', { name: WORDS }).filter({ hasText: prompt }) })
    .getByRole('button', { name: 'Compare', exact: true })
    .click();
  await expect(tasks.compareDialog.locator('video')).toHaveCount(3);
  await tasks.compareDialog.getByRole('button', { name: 'Play all' }).click();
  await expect
    .poll(async () => Math.min(...(await compareTimes(tasks)).map(([t]) => t)), { timeout: 20_000 })
    .toBeGreaterThan(0.5);
  for (let i = 0; i < 3; i++) {
    const now = await compareTimes(tasks);
    expect(now.map(([, paused]) => paused)).toEqual([false, false, false]);
    const times = now.map(([t]) => t);
    expect(Math.max(...times) - Math.min(...times), `currentTimes ${times.join(', ')}`).toBeLessThan(0.25);
    await page.waitForTimeout(300);
  }
  await page.keyboard.press('Escape');
  await expect(tasks.compareDialog).toHaveCount(0);

  await studio.takes.selectOption('1');
  await expect(studio.generate).toBeVisible();
});

test('five pictures dropped onto the start frame with a camera move: asked first, then five tasks with the same camera_control and five different images', async ({
  page,
  sim,
}) => {
  const studio = new StudioPage(page);
  await studio.goto();
  const files = stills(5);
  await studio.startFrame.setInputFiles(files);

  const ask = studio.batchQuestion();
  await expect(ask).toBeVisible();
  await expect(ask).toContainText(/^5 pictures · one task each · [\d.]+ units/);
  // The empty start frame took the first picture, so the camera has a frame to move over.
  await expect(
    page.getByRole('region', { name: 'Frames' }).getByText('1280 × 720 px', { exact: true }),
  ).toBeVisible();

  await studio.tab('Camera').click();
  await studio.switchTo('Kling 1.5 · Pro · 5 s');
  await studio.slider('Pan').fill('5');
  const prompt = uniquePrompt('batch-drop');
  await studio.prompt.fill(prompt);
  await expect(studio.generate).toBeEnabled();

  // The question follows the setup: five times what one task costs now.
  const one = unitsIn((await studio.actionBar.locator('.action-bar__cost').textContent()) ?? '');
  await expect(ask.locator('.confirm__text')).toHaveText(
    `5 pictures · one task each · ${Math.round(one * 500) / 100} units`,
  );

  const before = (await sim.requests()).length;
  await ask.getByRole('button', { name: 'Generate 5 tasks', exact: true }).click();
  await expect(studio.submittedMany).toContainText('Submitted as 5 tasks');
  await expect(ask).toHaveCount(0);

  const creates = await waitForCreates(sim, before, prompt, 5);
  const images = creates.map((r) => r.body.image);
  expect(new Set(images).size).toBe(5);
  expect(new Set(images)).toEqual(new Set(files.map((f) => f.buffer.toString('base64'))));
  for (const r of creates) {
    expect(r.body.camera_control).toEqual({
      type: 'simple',
      config: { horizontal: 0, vertical: 0, pan: 5, tilt: 0, roll: 0, zoom: 0 },
    });
    expect(r.body).toMatchObject({ model_name: 'kling-v1-5', mode: 'pro', duration: '5' });
  }
  expect(new Set(creates.map((r) => r.body.external_task_id)).size).toBe(5);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: the action bar with Takes and the batch question is axe-clean; Cancel sends nothing`, async ({
    page,
    sim,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const studio = new StudioPage(page);
    await studio.goto();
    await studio.uploadStart(await frameImages.valid());
    const prompt = uniquePrompt('batch-a11y');
    await studio.prompt.fill(prompt);
    await studio.takes.selectOption('4');
    await expect(studio.generateTakes(4)).toBeVisible();
    await expectNoSeriousA11yViolations(page, `action bar with 4 takes (${scheme})`, '.action-bar');

    const before = (await sim.requests()).length;
    await studio.startFrame.setInputFiles([
      ...stills(2),
      { name: 'tiny.png', mimeType: 'image/png', buffer: asBuffer(pngImage(120, 90)) },
    ]);
    const ask = studio.batchQuestion();
    await expect(ask).toContainText('2 pictures · one task each');
    await expect(ask).toContainText('Left out tiny.png: Start frame (image): 120×90 px is below');
    await ask.getByText('The pictures', { exact: true }).click();
    await expect(ask.getByText('still-2.png')).toBeVisible();
    await expectNoSeriousA11yViolations(page, `batch question (${scheme})`, '.action-bar');

    await ask.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(ask).toHaveCount(0);
    await page.waitForTimeout(300);
    // Other specs share the simulator: only this test's prompt counts.
    expect((await sim.requestsSince(before)).filter((r) => r.body.prompt === prompt)).toEqual([]);
  });
}
