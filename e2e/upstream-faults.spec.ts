import type { APIRequestContext } from '@playwright/test';
import type { StudioTask, TaskList } from '../contract/schemas/studio-api.ts';
import { frameImages } from './assets/frame-images.ts';
import { expect, test, uniquePrompt } from './fixtures.ts';
import { StudioPage } from './pages/studio-page.ts';
import { FINISH_TIMEOUT_MS, TasksPage } from './pages/tasks-page.ts';

/**
 * When Kling (here the simulator, through its prompt fault markers) refuses or fails a create, the creator
 * is told in plain words on the task, nothing of the draft is lost, and the studio never pays twice for one
 * press of Generate. Every press is accepted at once (the queue); what Kling then says reaches the task:
 * a refusal fails it, "busy" and "too fast" keep it queued (sent again later, never created twice).
 */
const refusals: [marker: string, says: RegExp][] = [
  ['1301', /content policy/],
  ['1102', /out of credits/],
  ['5000', /internal error.*Nothing was charged/],
  ['5001', /temporarily unavailable/],
];

/** How the simulator answered a create it recorded (GET /__sim/requests keeps it beside the body). */
const answerCode = (r: object) => (r as { response?: { code?: number } }).response?.code;

/** The task the studio made for this prompt (prompts are unique per test), as the API has it now. */
async function taskWithPrompt(request: APIRequestContext, prompt: string): Promise<StudioTask | undefined> {
  const res = await request.get('/api/tasks?pageSize=100');
  return ((await res.json()) as TaskList).tasks.find((t) => t.prompt === prompt);
}

async function pressGenerate(studio: StudioPage, marker: string) {
  await studio.goto();
  await studio.uploadStart(await frameImages.valid());
  const prompt = `${uniquePrompt(`fault ${marker}`)} [sim:${marker}]`;
  await studio.prompt.fill(prompt);
  await studio.submit();
  // Accepted at once: the press became a task.
  await expect(studio.submitted).toBeVisible();
  return prompt;
}

for (const [marker, says] of refusals) {
  test(`upstream ${marker}: the task fails in plain words, the draft is kept, the create went out once`, async ({
    page,
    sim,
  }) => {
    const studio = new StudioPage(page);
    const tasks = new TasksPage(page);
    const before = (await sim.requests()).length;
    const prompt = await pressGenerate(studio, marker);
    await expect(tasks.rowStatus(prompt, 'Failed')).toBeVisible({ timeout: FINISH_TIMEOUT_MS });
    await tasks.open(prompt);
    await expect(tasks.failure).toContainText(says);
    // Nothing lost: the prompt and the frame are still there, and Generate can be pressed again.
    await tasks.page.keyboard.press('Escape');
    await expect(studio.prompt).toHaveValue(prompt);
    await expect(studio.frameMeta(1280, 720)).toBeVisible();
    await expect(studio.generate).toBeEnabled();
    // Exactly one create reached Kling for this press of Generate.
    await sim.requestWithPrompt(before, prompt);
    const sent = (await sim.requestsSince(before)).filter((r) => r.body.prompt === prompt);
    expect(sent).toHaveLength(1);
  });
}

for (const [marker, words] of [
  ['1303', /as many tasks as its plan allows.*stays queued/],
  ['1302', /slow down.*stays queued/],
] as const) {
  test(`upstream ${marker}: the task stays Queued and says why; cancelled, it is never created`, async ({
    page,
    request,
    sim,
  }) => {
    const studio = new StudioPage(page);
    const tasks = new TasksPage(page);
    const before = (await sim.requests()).length;
    const prompt = await pressGenerate(studio, marker);
    await expect(tasks.row(prompt).getByText('Queued', { exact: true })).toBeVisible();
    // Kling refused it for now: it waits with the reason instead of failing.
    await expect
      .poll(async () => (await taskWithPrompt(request, prompt))?.statusMessage ?? '')
      .toMatch(words);
    const task = (await taskWithPrompt(request, prompt))!;
    expect(task.status).toBe('queued');
    // Called off before Kling took it (a retry in flight at that moment answers 409: try again).
    await expect.poll(async () => (await request.post(`/api/tasks/${task.id}/cancel`)).status()).toBe(200);
    await expect(tasks.row(prompt).getByText('Cancelled', { exact: true })).toBeVisible();
    const sent = (await sim.requestsSince(before)).filter((r) => r.body.prompt === prompt);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.every((r) => answerCode(r) === Number(marker))).toBe(true);
  });
}

test('upstream hang: the task waits for Kling to confirm it, and is never sent twice', async ({
  page,
  request,
  sim,
}) => {
  const studio = new StudioPage(page);
  const tasks = new TasksPage(page);
  const before = (await sim.requests()).length;
  const prompt = await pressGenerate(studio, 'hang');
  // No answer within UPSTREAM_TIMEOUT_MS (4 s here): Kling may have it, so the studio looks it up by its
  // external_task_id instead of sending it again, and says so.
  await expect(tasks.row(prompt).getByText('Submitted', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect
    .poll(async () => (await taskWithPrompt(request, prompt))?.statusMessage ?? '', { timeout: 30_000 })
    .toMatch(/Waiting for Kling to confirm this task.*It will not be sent twice/);
  await expect(studio.prompt).toHaveValue(prompt);
  const sent = (await sim.requestsSince(before)).filter((r) => r.body.prompt === prompt);
  expect(sent).toHaveLength(1);
});

test('upstream malformed answer: the studio finds the task Kling did create, so it is submitted once, not twice', async ({
  page,
  sim,
}) => {
  const studio = new StudioPage(page);
  const tasks = new TasksPage(page);
  const before = (await sim.requests()).length;
  // The simulator creates the task but answers with a truncated body; the studio looks the task up by its
  // external_task_id instead of sending the create again.
  const prompt = await pressGenerate(studio, 'malformed');
  await tasks.expectFinished(prompt);
  const sent = (await sim.requestsSince(before)).filter((r) => r.body.prompt === prompt);
  expect(sent).toHaveLength(1);
});
