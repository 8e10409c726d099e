import { readFile } from 'node:fs/promises';
import { encodeBase64 } from '../contract/images/base64.ts';
import { maskPng as mask } from '../contract/testing/test-images.ts';
import { frameImages } from './assets/frame-images.ts';
import { expect, test } from './fixtures.ts';
import { StudioPage } from './pages/studio-page.ts';
import { createTaskViaApi, TasksPage, uniquePrompt } from './pages/tasks-page.ts';

// A task may wait in the studio's queue (Queued) before it is sent to Kling (Submitted).
const LIFECYCLE = ['Queued', 'Submitted', 'Processing', 'Succeeded'];

// Every test here waits for real renders, which queue behind other spec files' renders.
test.describe.configure({ timeout: 180_000 });

test('generate → Queued or Submitted at once → Succeeded live → plays → downloads → remix restores → generate again', async ({
  page,
  sim,
}, testInfo) => {
  const studio = new StudioPage(page);
  const tasks = new TasksPage(page);
  await tasks.goto();

  await studio.uploadStart(await frameImages.valid());
  await studio.tab('Camera').click();
  await studio.switchTo('Kling 1.5 · Pro · 5 s');
  await studio.slider('Pan').fill('5');
  const prompt = uniquePrompt('journey');
  await studio.prompt.fill(prompt);
  const statuses = await tasks.recordStatuses(prompt);
  const before = (await sim.requests()).length;
  await studio.submit();

  // At once: the task's card on top of the gallery, in view, with its progress; no viewer over the composer.
  await expect(tasks.row(prompt)).toBeVisible({ timeout: 2_000 });
  await expect(tasks.row(prompt)).toBeInViewport();
  await expect(tasks.detail).toHaveCount(0);
  await tasks.expectFinished(prompt);
  // Every state was on screen, in order, in this same document (the recorder would not survive a reload).
  const seen = await statuses.seen();
  expect(['Queued', 'Submitted']).toContain(seen[0]);
  expect(seen.at(-1)).toBe('Succeeded');
  expect(seen).toEqual(LIFECYCLE.filter((s) => seen.includes(s)));

  // Other specs share the simulator, so this test's creates are the ones carrying its prompt.
  const mine = async (since: number) =>
    (await sim.requestsSince(since)).filter((r) => r.body.prompt === prompt);
  const [first] = await mine(before);
  expect(first?.body.prompt).toBe(prompt);
  await tasks.open(prompt);
  await tasks.showDetails();
  await expect(tasks.detail.getByText(first!.body.external_task_id!, { exact: true })).toBeVisible();
  await tasks.expectVideoPlays();

  const download = await tasks.downloadVideo();
  expect(download.suggestedFilename()).toMatch(/^motion-studio-.+\.mp4$/);
  const saved = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(saved);
  // An MP4 starts with a box whose type is `ftyp`.
  expect((await readFile(saved)).subarray(4, 8).toString('latin1')).toBe('ftyp');

  // Change the draft, then Remix brings back everything the task was made from (and closes the viewer).
  await tasks.close();
  await studio.slider('Zoom').fill('-4');
  await studio.prompt.fill('something else entirely');
  await expect(studio.slider('Pan')).toHaveValue('0');
  await tasks.open(prompt);
  await tasks.remix.click();
  await expect(tasks.detail).toHaveCount(0);
  await expect(studio.slider('Pan')).toHaveValue('5');
  await expect(studio.slider('Zoom')).toHaveValue('0');
  await expect(studio.prompt).toHaveValue(prompt);
  await expect(studio.model).toHaveValue('kling-v1-5');
  await expect(studio.mode).toHaveValue('pro');
  await expect(studio.frameMeta(1280, 720)).toBeVisible();

  // Generate again: the same request once more, under a new external id, as a second task.
  const count = (await sim.requests()).length;
  await tasks.open(prompt);
  await tasks.generateAgain.click();
  // Two tasks now carry the prompt. The gallery is windowed, and other specs' tasks can sit between the
  // two cards, so both are not always rendered at once: the history answers, and the viewer (below) shows
  // the new one.
  await expect
    .poll(async () => {
      const list = (await (await page.request.get('/api/tasks?pageSize=100')).json()) as {
        tasks: { prompt: string }[];
      };
      return list.tasks.filter((t) => t.prompt === prompt).length;
    })
    .toBe(2);
  await expect.poll(async () => (await mine(count)).length).toBe(1);
  const sent = await mine(count);
  expect(sent).toHaveLength(1);
  const again = sent[0]!.body;
  expect(again.external_task_id).toBeTruthy();
  expect(again.external_task_id).not.toBe(first!.body.external_task_id);
  const { external_task_id: _a, callback_url: _b, ...againRest } = again;
  const { external_task_id: _c, callback_url: _d, ...firstRest } = first!.body;
  expect(againRest).toEqual(firstRest);
  // The new task is the one now open.
  await tasks.showDetails();
  await expect(tasks.detail.getByText(again.external_task_id!, { exact: true })).toBeVisible();
});

/** A greyscale mask PNG at the frame's size, white inside `rect` (how the motion brush writes masks). */
async function maskPng(rect: { x: number; y: number; w: number; h: number }): Promise<string> {
  return encodeBase64(mask(1280, 720, rect));
}

test('remix puts a motion-brush task back into the mask editor: masks and path', async ({
  page,
  request,
}) => {
  const studio = new StudioPage(page);
  const tasks = new TasksPage(page);
  await tasks.goto();
  const prompt = uniquePrompt('brush remix');
  await createTaskViaApi(request, {
    prompt,
    model_name: 'kling-v1',
    mode: 'std',
    camera_control: undefined,
    static_mask: await maskPng({ x: 0, y: 600, w: 1280, h: 120 }),
    dynamic_masks: [
      {
        mask: await maskPng({ x: 500, y: 250, w: 200, h: 200 }),
        trajectories: [
          { x: 600, y: 370 },
          { x: 800, y: 420 },
          { x: 1000, y: 470 },
        ],
      },
    ],
  });

  await tasks.open(prompt);
  await tasks.remix.click();
  await expect(studio.tab('Motion brush')).toHaveAttribute('aria-selected', 'true');
  await expect(studio.model).toHaveValue('kling-v1');
  await expect(studio.prompt).toHaveValue(prompt);
  const masks = page.getByRole('region', { name: 'Masks' });
  await expect(masks.getByText('1 / 6')).toBeVisible();
  await expect(masks.getByRole('listitem')).toHaveCount(2);
  await expect(masks.getByRole('listitem').filter({ hasText: 'painted' })).toHaveCount(2);
  await expect(masks.getByText('painted · moves along 3 points')).toBeVisible();
});

test('a task the simulator fails says why and what to change', async ({ page, request }) => {
  const tasks = new TasksPage(page);
  await tasks.goto();
  const prompt = `${uniquePrompt('fails')} [sim:fail]`;
  await createTaskViaApi(request, { prompt });

  await tasks.expectFinished(prompt, 'Failed');
  await tasks.open(prompt);
  await expect(tasks.failure).toContainText('Failure to pass the risk control system');
  await expect(tasks.failure).toContainText('What to change');
  await expect(tasks.video).toHaveCount(0);
  await expect(tasks.download).toHaveCount(0);
  await expect(tasks.remix).toBeEnabled();
});

test('two tabs on the list both update live from the one event stream', async ({
  page,
  context,
  request,
}) => {
  const first = new TasksPage(page);
  const second = new TasksPage(await context.newPage());
  await first.goto();
  await second.goto();
  // Once both are live, the list must change through pushed events alone, not by polling.
  const taskFetches: string[] = [];
  for (const p of [first.page, second.page])
    p.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/tasks') && !/\/(thumbnail|poster|video)$/.test(path))
        taskFetches.push(r.url());
    });

  const prompt = uniquePrompt('two tabs');
  await createTaskViaApi(request, { prompt });
  for (const tab of [first, second]) await tab.expectFinished(prompt);
  expect(taskFetches).toEqual([]);
});

test('two finished videos play side by side, in step', async ({ page, request }) => {
  const tasks = new TasksPage(page);
  await tasks.goto();
  const left = uniquePrompt('compare pan');
  const right = uniquePrompt('compare zoom');
  await createTaskViaApi(request, { prompt: left });
  await createTaskViaApi(request, {
    prompt: right,
    camera_control: {
      type: 'simple',
      config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 5 },
    },
  });
  for (const p of [left, right]) await tasks.expectFinished(p);

  await tasks.pickForCompare(left);
  await tasks.pickForCompare(right);
  await tasks.compareButton.click();
  const dialog = tasks.compareDialog;
  await expect(dialog.locator('video')).toHaveCount(2);
  await dialog.getByRole('button', { name: 'Play both' }).click();
  await expect(dialog.getByRole('button', { name: 'Pause both' })).toBeVisible();

  const times = () =>
    dialog.locator('video').evaluateAll((vs) => vs.map((v) => (v as HTMLVideoElement).currentTime));
  await expect.poll(async () => Math.min(...(await times()))).toBeGreaterThan(0.5);
  const [a, b] = await times();
  expect(Math.abs(a! - b!)).toBeLessThan(0.25);

  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('without the event stream the list still follows tasks, by polling', async ({ page, request }) => {
  // The stream is refused from the start, as behind a proxy that breaks SSE.
  await page.route('**/api/events', (route) => route.abort());
  const tasks = new TasksPage(page);
  await page.goto('/');
  await expect(tasks.region.getByText(/Live updates interrupted/)).toBeVisible();

  const prompt = uniquePrompt('polling');
  await createTaskViaApi(request, { prompt });
  await expect(tasks.row(prompt)).toBeVisible();
  await tasks.expectFinished(prompt);
});
