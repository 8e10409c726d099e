import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { motionControlUnits, unitsToUsd } from '../contract/pricing/prices.ts';
import { pngImage } from '../contract/testing/test-images.ts';
import { bytesSource, readVideoFacts, type VideoFacts } from '../contract/video/container-header.ts';
import { makeTestVideo } from '../server/testing/test-videos.ts';
import { asBuffer, frameImages } from './assets/frame-images.ts';
import { expect, type SimRequest, test } from './fixtures.ts';
import { ReferenceVideoTab } from './pages/reference-video.ts';
import { StudioPage } from './pages/studio-page.ts';
import { FINISH_TIMEOUT_MS, TasksPage, uniquePrompt } from './pages/tasks-page.ts';

/**
 * Motion control through the studio (issue 14): a picture and a reference clip in the "Reference video"
 * tab, Generate, and the simulator's render moves the picture like the clip. The clip is made here with
 * the bundled ffmpeg (a white square moving left to right, with a tone), once for the file.
 */

// The render queues behind other spec files' renders (see FINISH_TIMEOUT_MS).
test.describe.configure({ timeout: 180_000 });

const CLIP = { width: 480, height: 360, seconds: 4, audio: true } as const;
let dir: string;
let clipPath: string;
/** The clip's header facts: ffmpeg's AAC padding makes the "4 s" clip a few ms longer. */
let facts: VideoFacts;

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2e-motion-control-'));
  clipPath = join(dir, 'dance.mp4');
  await makeTestVideo(clipPath, CLIP);
  facts = await readVideoFacts(bytesSource(new Uint8Array(await readFile(clipPath))));
});
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * The Reference video tab's part of the draft as IndexedDB holds it now (writes are coalesced, so a
 * reload right after a click could otherwise race the write).
 */
function storedReference(page: Page) {
  return page.evaluate(async () => {
    // Opening a database that does not exist would create it empty, under the app's feet.
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes('motion-studio-draft')) return { hasClip: false };
    return new Promise<{ orientation?: string; hasClip: boolean }>((resolve, reject) => {
      const open = indexedDB.open('motion-studio-draft');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('kv')) return resolve({ hasClip: false });
        const get = db.transaction('kv').objectStore('kv').get('motion-studio:draft');
        get.onerror = () => reject(get.error);
        get.onsuccess = () => {
          const reference = get.result?.state?.reference;
          db.close();
          resolve({ orientation: reference?.orientation, hasClip: !!reference?.clip });
        };
      };
    });
  });
}

/** What the simulator recorded, with the path it was sent to (/__sim/requests keeps it). */
type Recorded = SimRequest & { path?: string; method?: string };

test('picture + clip → Generate → Succeeded → the result plays as long as the clip; Kling got a signed URL', async ({
  page,
  sim,
}) => {
  const studio = new StudioPage(page);
  const reference = new ReferenceVideoTab(page);
  const tasks = new TasksPage(page);
  await tasks.goto();

  await studio.uploadStart(await frameImages.valid());
  await reference.open();
  await reference.input.setInputFiles(clipPath);
  await expect(reference.uploaded).toBeVisible();
  await expect(reference.facts(CLIP.width, CLIP.height)).toBeVisible();
  await expect(reference.preview).toBeVisible();
  // No duration picker: the clip decides, and the cost follows its length (kling-v2-6 std, 0.5 units/s).
  await expect(studio.duration).toHaveCount(0);
  const units = motionControlUnits('kling-v2-6', 'std', facts.durationMs);
  await expect(
    page.getByText(`× 0.5 units/s = ${units} units (≈ $${unitsToUsd(units).toFixed(2)})`),
  ).toBeVisible();
  await expect(reference.keepSound).toBeChecked();
  await reference.matchVideo.check();

  // A reload keeps the upload (ref and facts) and the settings; only the preview of the file is gone.
  await expect.poll(() => storedReference(page)).toMatchObject({ orientation: 'video', hasClip: true });
  await page.reload();
  await expect(reference.tab).toHaveAttribute('aria-selected', 'true');
  await expect(reference.uploaded).toBeVisible();
  await expect(reference.facts(CLIP.width, CLIP.height)).toBeVisible();
  await expect(reference.matchVideo).toBeChecked();
  await expect(reference.preview).toHaveCount(0);

  const prompt = uniquePrompt('motion control');
  await studio.prompt.fill(prompt);
  const before = (await sim.requests()).length;
  await studio.submit();

  await expect(tasks.row(prompt)).toBeVisible();
  await expect(tasks.row(prompt).getByText(/Reference video/)).toBeVisible();
  await tasks.expectFinished(prompt);

  // What Kling (the simulator) received: the motion-control endpoint, our settings, and the upload as an
  // http(s) link of the studio's own instead of the upload's ref.
  const sent = (await sim.requestWithPrompt(before, prompt)) as Recorded;
  expect(sent.path).toBe('/v1/videos/motion-control');
  expect(sent.body).toMatchObject({
    model_name: 'kling-v2-6',
    mode: 'std',
    character_orientation: 'video',
    keep_original_sound: 'yes',
    prompt,
  });
  expect(String(sent.body.video_url)).toMatch(/^https?:\/\//);
  expect(String(sent.body.video_url)).not.toContain('upload:');

  // The result plays, and lasts as long as the reference (±0.5 s); the reference plays beside it.
  await tasks.open(prompt);
  const result = tasks.detail.getByLabel(/^Result video/);
  await expect(result).toBeVisible({ timeout: FINISH_TIMEOUT_MS });
  await result.evaluate(async (v: HTMLVideoElement) => {
    v.muted = true;
    await v.play();
  });
  await expect.poll(() => result.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0.3);
  expect(await result.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(2);
  const duration = await result.evaluate((v: HTMLVideoElement) => v.duration);
  expect(Math.abs(duration - facts.durationMs / 1000)).toBeLessThanOrEqual(0.5);

  const shown = tasks.detail.getByLabel('Reference video of this task', { exact: true });
  await expect(shown).toBeVisible();
  await expect
    .poll(() => shown.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(1);
  expect(Math.abs((await shown.evaluate((v: HTMLVideoElement) => v.duration)) - CLIP.seconds)).toBeLessThan(
    0.5,
  );

  // Remix: back into the Reference video tab, the clip uploaded again under a fresh ref.
  await tasks.close();
  await reference.matchPicture.check();
  await studio.prompt.fill('something else');
  const uploads: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/uploads') uploads.push(r.url());
  });
  await tasks.open(prompt);
  await tasks.remix.click();
  await expect(reference.tab).toHaveAttribute('aria-selected', 'true');
  await expect(reference.matchVideo).toBeChecked();
  await expect(studio.prompt).toHaveValue(prompt);
  await expect(reference.uploaded).toBeVisible();
  expect(uploads).toHaveLength(1);
  await expect(studio.frameMeta(1280, 720)).toBeVisible();
});

test('a PNG renamed to .mp4 is refused in the contract words, and nothing is uploaded', async ({ page }) => {
  const studio = new StudioPage(page);
  const reference = new ReferenceVideoTab(page);
  await studio.goto();
  await reference.open();
  const uploads: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/uploads')) uploads.push(r.url());
  });

  await reference.input.setInputFiles({
    name: 'dance.mp4',
    mimeType: 'video/mp4',
    buffer: asBuffer(pngImage(640, 360)),
  });
  await expect(reference.rejection).toBeVisible();
  await expect(
    reference.rejection.getByText(
      'Reference video (video_url): must be an MP4 or MOV video, but this is a PNG image',
      { exact: true },
    ),
  ).toBeVisible();
  await expect(reference.preview).toHaveCount(0);
  await expect(studio.generate).toHaveAttribute('aria-disabled', 'true');
  expect(uploads).toEqual([]);
});
