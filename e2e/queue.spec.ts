import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type APIRequestContext, type Page, request as playwrightRequest } from '@playwright/test';
import type { CreateRequest } from '../contract/schemas/create-request.ts';
import type { BatchResponse, Health, StudioTask } from '../contract/schemas/studio-api.ts';
import { type StudioProcess, startStudioProcess } from '../server/testing/studio-process.ts';
import { frameImages } from './assets/frame-images.ts';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { expect, Sim, test } from './fixtures.ts';
import { FINISH_TIMEOUT_MS, TasksPage, uniquePrompt } from './pages/tasks-page.ts';

/**
 * Issue 17 in the gallery: a batch's results sit together under a header whose Compare plays them in step,
 * and a task waiting in the studio's queue says its place ("Queued · 3rd"), moves to the front, and is
 * cancelled before Kling ever sees it.
 */

// Each test waits for real renders, which queue behind other spec files' renders.
test.describe.configure({ timeout: 180_000 });

/** Kling 1.0 Standard with no camera move: the quickest render, as a create request body. */
async function quickRequest(prompt: string): Promise<CreateRequest> {
  return {
    model_name: 'kling-v1',
    mode: 'std',
    duration: '5',
    image: (await frameImages.valid()).buffer.toString('base64'),
    prompt,
  };
}
const SETUP = 'Kling 1.0 · Standard · 5 s';

async function createBatch(request: APIRequestContext, prompt: string, count: number) {
  const res = await request.post('/api/tasks/batch', {
    data: { request: await quickRequest(prompt), count },
  });
  expect(res.status(), await res.text()).toBe(201);
  const batch = (await res.json()) as BatchResponse;
  expect(batch.refused).toEqual([]);
  expect(batch.tasks.map((t) => t.batch)).toEqual(
    Array.from({ length: count }, (_, index) => ({ id: batch.batchId, index, size: count })),
  );
  return batch;
}

/** The current time of each video in the dialog, read in one go (one task of the page's event loop). */
const currentTimes = (page: Page) =>
  page
    .getByRole('dialog', { name: 'Compare' })
    .locator('video')
    .evaluateAll((videos) => (videos as HTMLVideoElement[]).map((v) => [v.currentTime, v.paused] as const));

test('a batch of 3 takes sits together under its header, and its Compare plays all three in step', async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const tasks = new TasksPage(page);
  const prompt = uniquePrompt('takes');
  await createBatch(request, prompt, 3);
  await tasks.goto();

  const words = `Batch of 3 · ${SETUP}`;
  const batch = tasks.batch(words);
  await expect(batch).toBeVisible();
  await expect(batch.getByRole('listitem')).toHaveCount(3);
  // All three cards are this batch's, and no card of it sits outside the group.
  await expect(batch.getByRole('listitem').filter({ hasText: prompt })).toHaveCount(3);
  await expect(tasks.row(prompt)).toHaveCount(3);
  await tasks.expectBatchSucceeded(batch, prompt, 3);

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousA11yViolations(page, `the gallery with a batch (${colorScheme})`, '.tasks-panel');
  }
  await page.emulateMedia({ colorScheme: 'light' });

  expect(await tasks.reveal(prompt)).toBe(true);
  await tasks.batchCompare(words).click();
  await expect(tasks.compareDialog).toBeVisible();
  const videos = tasks.compareDialog.locator('video');
  await expect(videos).toHaveCount(3);
  await tasks.compareDialog.getByRole('button', { name: 'Play all' }).click();
  await expect(tasks.compareDialog.getByRole('button', { name: 'Pause all' })).toBeVisible();
  // All three play (and have decoded frames), past their first half second…
  await expect
    .poll(async () => Math.min(...(await currentTimes(page)).map(([t]) => t)), { timeout: 20_000 })
    .toBeGreaterThan(0.5);
  expect(await videos.evaluateAll((vs) => (vs as HTMLVideoElement[]).map((v) => v.videoWidth > 0))).toEqual([
    true,
    true,
    true,
  ]);
  // …and in step: read together, a few times while they play, they never drift apart by more than ~¼ s.
  for (let i = 0; i < 5; i++) {
    const now = await currentTimes(page);
    expect(now.map(([, paused]) => paused)).toEqual([false, false, false]);
    const times = now.map(([t]) => t);
    expect(Math.max(...times) - Math.min(...times), `currentTimes ${times.join(', ')}`).toBeLessThan(0.25);
    await page.waitForTimeout(300);
  }
});

/**
 * The suite's studio has 100 slots at Kling, so nothing waits there. This studio has one: a first task whose
 * create Kling (its simulator) takes BLOCK_MS to answer holds it, and everything made after it waits in the
 * studio's queue, in a known order, until then.
 */
const BLOCK_MS = 25_000;

test.describe('a studio with one slot at Kling', () => {
  let studio: StudioProcess;
  let dataDir: string;
  let api: APIRequestContext;
  let sim: Sim;

  test.beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ms-e2e-queue-'));
    studio = await startStudioProcess({
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      KLING_CONCURRENCY: '1',
      SIM_PHASE_MS: '400',
      POLL_MIN_MS: '300',
      POLL_MAX_MS: '1000',
      // The first create is answered after BLOCK_MS: the studio must wait that long rather than give up.
      UPSTREAM_TIMEOUT_MS: String(BLOCK_MS + 30_000),
      LOG_LEVEL: 'warn',
    });
    api = await playwrightRequest.newContext({ baseURL: studio.url });
    const health = (await (await api.get('/api/health')).json()) as Health;
    sim = new Sim(api, health.upstream.baseUrl);
  });
  test.afterAll(async () => {
    await api?.dispose();
    await studio?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a waiting task says its place, moves to the front, and is cancelled before Kling ever sees it', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const tasks = new TasksPage(page);
    const blocker = `${uniquePrompt('blocker')} [sim:slow=${BLOCK_MS}]`;
    const res = await api.post('/api/tasks', { data: await quickRequest(blocker) });
    expect(res.status(), await res.text()).toBe(201);
    // The one slot is taken once Kling has the create (and is slow to answer it).
    await sim.requestWithPrompt(0, blocker);

    const prompt = uniquePrompt('waiting');
    const made = await createBatch(api, prompt, 3);
    expect(made.tasks.map((t) => [t.status, t.queue?.position])).toEqual([
      ['queued', 1],
      ['queued', 2],
      ['queued', 3],
    ]);
    const [first, second, third] = made.tasks as [StudioTask, StudioTask, StudioTask];

    await tasks.goto(studio.url);
    const cards = tasks.batch(`Batch of 3 · ${SETUP}`).getByRole('listitem');
    await expect(cards).toHaveCount(3);
    const line = (i: number) => tasks.statusLine(cards.nth(i));
    await expect(line(0)).toContainText('Queued · 1st');
    await expect(line(1)).toContainText('Queued · 2nd');
    await expect(line(2)).toContainText('Queued · 3rd');

    // The third goes before the batch's other two: its place now, and theirs, live.
    await cards.nth(2).getByRole('button', { name: prompt }).click();
    await expect(tasks.detailStatus).toHaveText('Queued · 3rd');
    await tasks.detail.getByRole('button', { name: 'Move to front' }).click();
    await expect(tasks.detailStatus).toHaveText('Queued · 1st');
    await expect(tasks.detail.getByRole('button', { name: 'Move to front' })).toBeDisabled();
    await tasks.close();
    await expect(line(2)).toContainText('Queued · 1st');
    await expect(line(0)).toContainText('Queued · 2nd');
    await expect(line(1)).toContainText('Queued · 3rd');

    // The second is cancelled: it ends Cancelled, and the one behind it moves up.
    await cards.nth(1).getByRole('button', { name: prompt }).click();
    await tasks.detail.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(tasks.detailStatus).toHaveText('Cancelled');
    await expect(tasks.detail.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(0);
    await expect(tasks.detail.getByRole('button', { name: 'Move to front' })).toHaveCount(0);
    await tasks.close();
    await expect(cards.nth(1).getByText('Cancelled', { exact: true })).toBeVisible();
    // Still all within the first create's wait: nothing of the batch has left the studio.
    expect((await sim.requests()).filter((r) => r.body.prompt === prompt)).toEqual([]);

    // When the slot frees, the moved one goes first and the first take becomes next in line, live. Only
    // for as long as the moved one runs: the page is read every frame, not polled now and then.
    await page.waitForFunction(
      () =>
        document
          .querySelector('.gallery-batch-grid li:nth-child(1) .gallery-line')
          ?.textContent?.startsWith('Queued · 1st'),
      null,
      { polling: 'raf', timeout: BLOCK_MS + FINISH_TIMEOUT_MS },
    );
    await expect(cards.nth(2).getByText('Succeeded', { exact: true })).toBeVisible({
      timeout: FINISH_TIMEOUT_MS,
    });
    await expect(cards.nth(0).getByText('Succeeded', { exact: true })).toBeVisible({
      timeout: FINISH_TIMEOUT_MS,
    });
    await expect(cards.nth(1).getByText('Cancelled', { exact: true })).toBeVisible();

    // What Kling received: the moved take, then the first; never the cancelled one.
    const sent = (await sim.requests()).filter((r) => r.body.prompt === prompt);
    expect(sent.map((r) => r.body.external_task_id)).toEqual([third.externalTaskId, first.externalTaskId]);
    const cancelled = (await (await api.get(`/api/tasks/${second.id}`)).json()) as { task: StudioTask };
    expect(cancelled.task).toMatchObject({ status: 'cancelled', sentAt: null, klingTaskId: null });
  });
});
