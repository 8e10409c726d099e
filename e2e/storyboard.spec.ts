import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectCuts } from '../server/simulator/render/cut-detect.ts';
import { scenePng } from '../server/simulator/render/render-test-support.ts';
import { expect, test } from './fixtures.ts';
import { StoryboardEditor } from './pages/storyboard.ts';
import { StudioPage } from './pages/studio-page.ts';
import { FINISH_TIMEOUT_MS, TasksPage, uniquePrompt } from './pages/tasks-page.ts';

/**
 * kling-v3 multi-shot through the studio (issue 15): a 3-shot 12 s storyboard, Generate, and the
 * simulator's render cuts between the shots — counted here from the downloaded MP4's frames.
 */

// A 12 s 720p render queues behind other spec files' renders (see FINISH_TIMEOUT_MS).
test.describe.configure({ timeout: 240_000 });

const SHOTS = [
  { prompt: 'Wide: the harbour at dawn', seconds: 4 },
  { prompt: 'The boat slips away from the pier', seconds: 5 },
  { prompt: 'Close-up on the sail filling with wind', seconds: 3 },
] as const;

let dir: string;
/** Discs of several colours on grey: another framing of it looks different, so a cut shows (a gradient's barely would). */
let picture: Buffer;

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2e-storyboard-'));
  picture = await scenePng({ width: 1280, height: 720 }, [
    { cx: 240, cy: 480, r: 110, fill: '#ff0000' },
    { cx: 1000, cy: 200, r: 90, fill: '#0000ff' },
    { cx: 680, cy: 380, r: 70, fill: '#ffff00' },
    { cx: 1120, cy: 600, r: 60, fill: '#00ffff' },
  ]);
});
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a 3-shot 12 s storyboard → Generate → Succeeded → a 12 s video with the shots as 2 cuts', async ({
  page,
  sim,
}) => {
  const studio = new StudioPage(page);
  const board = new StoryboardEditor(page);
  const tasks = new TasksPage(page);
  await tasks.goto();
  await studio.uploadStart({ name: 'harbour.png', mimeType: 'image/png', buffer: picture });
  await expect(studio.frameMeta(1280, 720)).toBeVisible();

  // No storyboard on a model without it.
  await expect(board.multiShot).toHaveCount(0);
  await studio.model.selectOption('kling-v3');
  await studio.mode.selectOption('std');
  const duration = page.getByRole('slider', { name: 'Duration', exact: true });
  await duration.fill('12');
  await expect(duration).toHaveValue('12');

  await board.turnOn();
  await expect(board.length(1)).toHaveValue('12');
  await board.layOut([SHOTS[0], SHOTS[1], { ...SHOTS[2], seconds: 2 }]);
  await expect(board.shots()).toHaveCount(3);
  await expect(board.total).toHaveText('Shots: 11 s of 12 s');
  await expect(
    board.region.getByText(
      'Storyboard (multi_prompt): the shots last 11 s in all, but the video lasts 12 s; they must add up exactly',
      { exact: true },
    ),
  ).toBeVisible();
  await expect(studio.generate).toHaveAttribute('aria-disabled', 'true');
  // Back to 4/5/3 by hand ("Fit to 12 s" would make it 4/6/2: proportional).
  await board.length(3).fill('3');
  await expect(board.total).toHaveText('Shots: 12 s of 12 s');
  await expect(board.fitTo(12)).toHaveCount(0);
  await expect(board.timeline).toHaveAttribute(
    'aria-label',
    'Timeline of 12 s: shot 1 4 s, shot 2 5 s, shot 3 3 s',
  );

  const prompt = uniquePrompt('storyboard');
  await studio.prompt.fill(prompt);
  const before = (await sim.requests()).length;
  await studio.submit();
  await expect(tasks.row(prompt)).toBeVisible();
  await tasks.expectFinished(prompt);

  // What Kling (the simulator) received: the storyboard as Kling's fields, the prompt as typed.
  const sent = await sim.requestWithPrompt(before, prompt);
  expect(sent.body).toMatchObject({
    model_name: 'kling-v3',
    mode: 'std',
    duration: '12',
    multi_shot: true,
    shot_type: 'customize',
    multi_prompt: SHOTS.map((s, i) => ({ index: i + 1, prompt: s.prompt, duration: String(s.seconds) })),
  });
  expect(sent.body).not.toHaveProperty('element_list');

  // The result plays and lasts 12 s (±0.5).
  await tasks.open(prompt);
  const result = tasks.detail.getByLabel(/^Result video/);
  await expect(result).toBeVisible({ timeout: FINISH_TIMEOUT_MS });
  await result.evaluate(async (v: HTMLVideoElement) => {
    v.muted = true;
    await v.play();
  });
  await expect.poll(() => result.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0.3);
  expect(await result.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  const seconds = await result.evaluate((v: HTMLVideoElement) => v.duration);
  expect(Math.abs(seconds - 12)).toBeLessThanOrEqual(0.5);

  // Three visible shots: two hard cuts, at the shots' boundaries (4 s and 9 s), in the downloaded MP4.
  const download = await tasks.downloadVideo();
  const file = join(dir, 'result.mp4');
  await download.saveAs(file);
  const report = await detectCuts(file);
  expect(report.cuts).toHaveLength(2);
  expect(report.cuts.map((c) => Math.round(c.seconds * 10) / 10)).toEqual([4, 9]);

  // Remix brings the storyboard back: shots, lengths and shot type.
  await tasks.close();
  await board.length(1).fill('6');
  await board.prompt(2).fill('something else');
  await tasks.open(prompt);
  await tasks.remix.click();
  await expect(board.multiShot).toBeChecked();
  await expect(board.shots()).toHaveCount(3);
  for (const [i, s] of SHOTS.entries()) {
    await expect(board.prompt(i + 1)).toHaveValue(s.prompt);
    await expect(board.length(i + 1)).toHaveValue(String(s.seconds));
  }
  await expect(board.letKlingPlan).not.toBeChecked();
  await expect(board.total).toHaveText('Shots: 12 s of 12 s');
});
