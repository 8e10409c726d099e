import { frameImages } from './assets/frame-images.ts';
import { expect, test, uniquePrompt } from './fixtures.ts';
import { StudioPage } from './pages/studio-page.ts';

/** The Summary's Cost line: what Generate would cost, from the contract's price table. */
const costLine = (studio: StudioPage) =>
  studio.page.locator('.summary dt', { hasText: 'Cost' }).locator('+ dd strong');

test('kling-v3: a 3–15 s slider, 4K with its price, and the cost follows every setting', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto();
  await studio.uploadStart(await frameImages.valid());
  // The studio starts on a current model, not Kling's legacy default.
  await expect(studio.model).toHaveValue('kling-v2-6');
  await expect(studio.duration).toHaveRole('combobox');

  await studio.model.selectOption('kling-v3');
  const duration = page.getByRole('slider', { name: 'Duration', exact: true });
  await expect(duration).toHaveAttribute('min', '3');
  await expect(duration).toHaveAttribute('max', '15');
  await expect(costLine(studio)).toHaveText('5 s × 0.6 units/s = 3 units (≈ $0.42)');

  await duration.fill('12');
  await expect(duration).toHaveValue('12');
  await expect(duration).toHaveAttribute('aria-valuetext', '12 s');
  await expect(costLine(studio)).toHaveText('12 s × 0.6 units/s = 7.2 units (≈ $1.01)');

  await expect(studio.option(studio.mode, '4k')).toHaveText('4K (2160p) · 3 units/s');
  await studio.mode.selectOption('4k');
  await expect(costLine(studio)).toHaveText('12 s × 3 units/s = 36 units (≈ $5.04)');

  // Pro with sound: kling-v3's native audio bills at its with-sound rate.
  await studio.mode.selectOption('pro');
  await expect(costLine(studio)).toHaveText('12 s × 0.8 units/s = 9.6 units (≈ $1.34)');
  // The switch's input is visually hidden behind its track: a creator clicks the label.
  await page.getByRole('group', { name: 'Sound & voices' }).getByText('Sound', { exact: true }).click();
  await expect(page.getByRole('switch', { name: 'Sound' })).toBeChecked();
  await expect(costLine(studio)).toHaveText('12 s × 1.2 units/s with sound = 14.4 units (≈ $2.02)');
  await expect(studio.option(studio.mode, 'pro')).toHaveText('Pro · 1.2 units/s');
  await expect(studio.generate).toBeEnabled();
  await page.getByText('Request JSON', { exact: true }).click();
  await expect(studio.requestJson).toContainText('"model_name": "kling-v3"');
  await expect(studio.requestJson).toContainText('"mode": "pro"');
  await expect(studio.requestJson).toContainText('"sound": "on"');
  await expect(studio.requestJson).toContainText('"duration": "12"');

  // Back on a 5/10 model the length lands on the nearest it takes, and the select is back.
  await studio.model.selectOption('kling-v2-6');
  await expect(studio.duration).toHaveRole('combobox');
  await expect(studio.duration).toHaveValue('10');
  await expect(costLine(studio)).toHaveText('10 s × 1.2 units/s with sound = 12 units (≈ $1.68)');
  // Not silently: the studio says it moved the length, what that does to the price, and offers Undo.
  const moved = page
    .getByRole('status')
    .locator('.notice')
    .filter({ hasText: "Switched to 10 s (−2.4 units, ≈ −$0.34) because Kling 2.6 doesn't offer 12 s" });
  await expect(moved).toBeVisible();
  await moved.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(studio.model).toHaveValue('kling-v3');
  await expect(duration).toHaveValue('12');
  await expect(studio.mode).toHaveValue('pro');
  await expect(costLine(studio)).toHaveText('12 s × 1.2 units/s with sound = 14.4 units (≈ $2.02)');
});

test('legacy models wear a badge and their note; a retired one is disabled with its note and the server refuses it', async ({
  page,
  request,
  sim,
}) => {
  const studio = new StudioPage(page);
  await studio.goto();
  await expect(studio.option(studio.model, 'kling-v1')).toHaveText('Kling 1.0 · Legacy');
  // The API's name stays in the tooltip.
  await expect(studio.option(studio.model, 'kling-v1')).toHaveAttribute('title', 'kling-v1');
  await studio.model.selectOption('kling-v1');
  const lifecycle = page.locator('.model-lifecycle');
  await expect(lifecycle.getByText('Legacy', { exact: true })).toBeVisible();
  await expect(lifecycle).toContainText(
    'Kling 1.0: reported retired on 2026-09-15; may fail on your account',
  );

  // RETIRED_MODELS=kling-v2-1-master (scripts/e2e-server.mjs), served by GET /api/capabilities.
  const retired = studio.option(studio.model, 'kling-v2-1-master');
  await expect(retired).toBeDisabled();
  await expect(retired).toHaveText(
    'Kling 2.1 Master — Kling no longer offers kling-v2-1-master; pick another',
  );
  await expect(
    page.getByText('Kling 2.1 Master: Kling no longer offers kling-v2-1-master; pick another.'),
  ).toBeVisible();

  // Straight to the API: refused in the contract's words, and nothing reaches Kling.
  const prompt = uniquePrompt('retired model');
  const before = (await sim.requests()).length;
  const res = await request.post('/api/tasks', {
    data: {
      model_name: 'kling-v2-1-master',
      duration: '5',
      image: (await frameImages.valid()).buffer.toString('base64'),
      prompt,
    },
  });
  const json = (await res.json()) as {
    error?: { code: string; issues?: { field: string; rule: string; message: string }[] };
  };
  expect(res.status(), JSON.stringify(json)).toBe(400);
  expect(json.error?.issues).toEqual([
    {
      field: 'model_name',
      rule: 'model_retired',
      message: expect.stringMatching(/: Kling no longer offers kling-v2-1-master; pick another$/),
    },
  ]);
  expect((await sim.requestsSince(before)).filter((r) => r.body.prompt === prompt)).toEqual([]);
});
