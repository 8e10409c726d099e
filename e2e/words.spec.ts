import { frameImages } from './assets/frame-images.ts';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { expect, test, uniquePrompt } from './fixtures.ts';
import { StudioPage } from './pages/studio-page.ts';

/** The notices strip: what the studio changed on the creator's behalf, each with Undo. */
const notice = (studio: StudioPage, text: string | RegExp) =>
  studio.page.getByRole('status').locator('.notice').filter({ hasText: text });

test('an end frame on Kling 2.6 Standard switches to Pro and says so; Undo puts Standard back', async ({
  page,
}) => {
  const studio = new StudioPage(page);
  await studio.goto();
  await studio.uploadStart(await frameImages.valid());
  await expect(studio.model).toHaveValue('kling-v2-6');
  await expect(studio.mode).toHaveValue('std');
  // Creator words in the selects: the API's names only in tooltips.
  await expect(studio.option(studio.model, 'kling-v2-6')).toHaveText('Kling 2.6');
  await expect(studio.option(studio.model, 'kling-v2-6')).toHaveAttribute('title', 'kling-v2-6');
  await expect(studio.option(studio.mode, 'std')).toHaveText('Standard · 0.3 units/s');

  await studio.uploadEnd(await frameImages.validEnd());
  await expect(studio.frameMeta(1280, 720)).toHaveCount(2);
  const switched = notice(
    studio,
    "Switched to Pro (+1 unit, ≈ $0.14) because Kling 2.6 Standard can't do start & end frames",
  );
  await expect(switched).toBeVisible();
  await expect(studio.mode).toHaveValue('pro');
  await expect(studio.generate).toBeEnabled();

  await switched.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(switched).toHaveCount(0);
  await expect(studio.model).toHaveValue('kling-v2-6');
  await expect(studio.mode).toHaveValue('std');
  await expect(studio.duration).toHaveValue('5');
  // The end frame is the creator's own choice and stays; the refusal says why in creator words.
  await expect(studio.frameMeta(1280, 720)).toHaveCount(2);
  await expect(studio.generateReasons).toContainText(
    'start & end frames is not available on Kling 2.6 · Standard · 5 s',
  );
  // The panel's offer names the switch and its price before it is pressed.
  const offer = page.getByRole('button', { name: 'Switch to Kling 2.6 · Pro · 5 s', exact: true });
  await expect(offer).toBeVisible();
  await expect(page.locator('.offer__cost').first()).toHaveText('+1 unit, ≈ $0.14');
  await offer.click();
  await expect(
    notice(
      studio,
      "Switched to Pro (+1 unit, ≈ $0.14) because Kling 2.6 Standard can't do start & end frames",
    ),
  ).toBeVisible();
  await expect(studio.mode).toHaveValue('pro');
});

test('Sound is off up front with start & end frames, and says why', async ({ page, sim }) => {
  const studio = new StudioPage(page);
  await studio.goto();
  await studio.uploadStart(await frameImages.valid());
  await studio.model.selectOption('kling-v2-6');
  await studio.mode.selectOption('pro');
  const sound = page.getByRole('switch', { name: 'Sound' });
  const soundGroup = page.getByRole('group', { name: 'Sound & voices' });
  await expect(sound).toBeEnabled();

  await studio.uploadEnd(await frameImages.validEnd());
  await expect(sound).toBeDisabled();
  await expect(sound).not.toBeChecked();
  const reason = soundGroup.getByText('Kling renders start & end frame videos without sound.', {
    exact: false,
  });
  await expect(reason).toBeVisible();
  await expect(sound).toHaveAccessibleDescription(/Kling renders start & end frame videos without sound/);
  await expect(page.getByRole('button', { name: 'Add voice', exact: true })).toBeDisabled();
  // Generate is not held back by sound: the request goes out silent, with both frames.
  const prompt = uniquePrompt('silent frames');
  await studio.prompt.fill(prompt);
  const before = (await sim.requests()).length;
  await studio.submit();
  const { body } = await sim.requestWithPrompt(before, prompt);
  expect(body).toMatchObject({ model_name: 'kling-v2-6', mode: 'pro' });
  expect(body.image_tail).toBeTruthy();
  expect(body.sound ?? 'off').toBe('off');

  // Another motion tab leaves the end frame unsent, and Sound is back.
  await studio.tab('Camera').click();
  await expect(sound).toBeEnabled();
  await expect(reason).toHaveCount(0);
});

test('Settings speak creator words and pass axe, with the voice library open, light and dark', async ({
  page,
}) => {
  const studio = new StudioPage(page);
  await studio.goto();
  await studio.model.selectOption('kling-v1');
  // cfg_scale is "Prompt strength", the API's name in the label's tooltip.
  const strength = page.getByLabel('Prompt strength', { exact: true });
  await expect(strength).toBeVisible();
  await expect(page.getByText('Prompt strength', { exact: true })).toHaveAttribute('title', /cfg_scale/);
  await studio.model.selectOption('kling-v2-6');
  await studio.mode.selectOption('pro');
  await page.locator('summary', { hasText: 'Voice library' }).click();
  const form = page.getByRole('form', { name: 'Save a voice' });
  await form.getByLabel('Voice name', { exact: true }).fill('Guide');
  await form.getByLabel('Voice ID', { exact: true }).fill('4242');
  await form.getByRole('button', { name: 'Save voice' }).click();
  await expect(page.getByRole('list', { name: 'Saved voices' })).toContainText('Guide');
  // A voice row with its pick list, and a prompt chip: everything Sound & voices can show.
  await page.getByRole('button', { name: 'Add voice', exact: true }).click();
  await page.getByLabel('Voice 1', { exact: true }).selectOption({ label: 'Guide' });
  await studio.prompt.fill('A guide says <<<voice_1>>>');
  await expect(page.locator('.voice-chip')).toHaveText('🎙 Guide');
  const settings = page.getByRole('region', { name: 'Settings' });
  await expect(settings).toBeVisible();
  await expectNoSeriousA11yViolations(
    page,
    'Settings with the voice library (light)',
    'section[aria-label="Settings"]',
  );
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoSeriousA11yViolations(
    page,
    'Settings with the voice library (dark)',
    'section[aria-label="Settings"]',
  );
  await page.emulateMedia({ colorScheme: 'light' });
});
