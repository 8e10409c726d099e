import { frameImages } from './assets/frame-images.ts';
import { expect, test, uniquePrompt } from './fixtures.ts';
import { StudioPage } from './pages/studio-page.ts';

/** One second of a 440 Hz tone as a 16-bit mono WAV: a sample clip, made at test time. */
function toneWav(seconds = 1, rate = 8000): Buffer {
  const samples = seconds * rate;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++)
    wav.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), 44 + i * 2);
  return wav;
}

test('a voice saved by name is picked for the request, shows as a chip, and Kling gets its id and token', async ({
  page,
  sim,
}) => {
  const studio = new StudioPage(page);
  await studio.goto();
  await studio.uploadStart(await frameImages.valid());
  await studio.model.selectOption('kling-v2-6');
  await studio.mode.selectOption('pro');

  const group = page.getByRole('group', { name: 'Sound & voices' });
  await group.locator('summary', { hasText: 'Voice library' }).click();
  const form = page.getByRole('form', { name: 'Save a voice' });
  // A voice without a name is refused beside the form, and nothing is saved.
  await form.getByLabel('Voice ID', { exact: true }).fill('829824295735410756');
  await form.getByRole('button', { name: 'Save voice' }).click();
  await expect(form.getByRole('alert')).toHaveText('Voice name: give the voice a name');

  await form.getByLabel('Voice name', { exact: true }).fill('Narrator');
  await form.getByLabel('Sample clip (optional)').setInputFiles({
    name: 'narrator.wav',
    mimeType: 'audio/wav',
    buffer: toneWav(),
  });
  await form.getByRole('button', { name: 'Save voice' }).click();
  const saved = page.getByRole('list', { name: 'Saved voices' });
  await expect(saved.getByRole('listitem')).toHaveCount(1);
  await expect(saved).toContainText('Narrator');
  await expect(saved).toContainText('829824295735410756');
  // ▶ plays the sample from IndexedDB.
  await saved.getByRole('button', { name: 'Play sample of Narrator' }).click();
  const audio = saved.locator('audio');
  await expect(audio).toHaveAttribute('src', /^blob:/);
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.duration)).toBeCloseTo(1, 1);

  // Renamed in place; the pick list follows.
  await saved.getByRole('button', { name: 'Rename Narrator' }).click();
  await saved.getByLabel('New name for Narrator').fill('Old sailor');
  await saved.getByRole('button', { name: 'Save name' }).click();
  await expect(saved).toContainText('Old sailor');

  // Add voice turns sound on, and says what that costs.
  await group.getByRole('button', { name: 'Add voice', exact: true }).click();
  await expect(page.getByRole('switch', { name: 'Sound' })).toBeChecked();
  await expect(
    page.getByRole('status').locator('.notice').filter({ hasText: 'Sound is on (+3.5 units, ≈ $0.49)' }),
  ).toBeVisible();
  await group.getByLabel('Voice 1', { exact: true }).selectOption({ label: 'Old sailor' });
  await expect(group.getByLabel('Voice 1 ID', { exact: true })).toHaveValue('829824295735410756');

  const prompt = uniquePrompt('voice');
  await studio.prompt.fill(`${prompt}: `);
  await studio.prompt.press('End');
  await group.getByRole('button', { name: 'Insert voice 1' }).click();
  await expect(studio.prompt).toHaveValue(`${prompt}: <<<voice_1>>>`);
  // The prompt reads with the voice's name as a chip, not the raw token.
  const chip = page.locator('.prompt-voices .voice-chip');
  await expect(chip).toHaveText('🎙 Old sailor');
  await expect(chip).toHaveAttribute('title', '<<<voice_1>>> · voice_id 829824295735410756');
  await expect(page.locator('.prompt-voices')).not.toContainText('<<<voice_1>>>');

  const before = (await sim.requests()).length;
  await studio.submit();
  await expect(studio.submitted).toBeVisible();
  // The request still carries the token, and voice_list the saved id.
  const { body } = await sim.requestWithPrompt(before, `${prompt}: <<<voice_1>>>`);
  expect(body.voice_list).toEqual([{ voice_id: '829824295735410756' }]);
  expect(body).toMatchObject({ model_name: 'kling-v2-6', mode: 'pro', sound: 'on' });

  // The library outlives a reload (IndexedDB), and a deleted voice can be brought back.
  await page.reload();
  const again = page.getByRole('group', { name: 'Sound & voices' });
  await again.locator('summary', { hasText: 'Voice library' }).click();
  const list = page.getByRole('list', { name: 'Saved voices' });
  await expect(list).toContainText('Old sailor');
  await expect(page.locator('.prompt-voices .voice-chip')).toHaveText('🎙 Old sailor');
  await list.getByRole('button', { name: 'Delete Old sailor' }).click();
  await expect(list).toHaveCount(0);
  const deleted = page
    .getByRole('status')
    .locator('.notice')
    .filter({ hasText: 'Deleted the voice “Old sailor”' });
  await deleted.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Saved voices' })).toContainText('Old sailor');
});
