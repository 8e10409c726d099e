import { frameImages } from './assets/frame-images.ts';
import { expect, test, uniquePrompt } from './fixtures.ts';
import { StudioPage } from './pages/studio-page.ts';

/**
 * When Kling (here the simulator, through its prompt fault markers) refuses or fails a create, the
 * creator sees what happened in plain words, nothing of the draft is lost, and the create was sent
 * exactly once: the studio never pays twice for one press of Generate.
 */
const faults: [marker: string, says: RegExp][] = [
  ['1301', /content policy/],
  ['1302', /too fast/],
  ['1303', /as many tasks as its plan allows/],
  ['1102', /out of credits/],
  ['5000', /internal error.*Nothing was charged/],
  ['5001', /temporarily unavailable/],
  ['hang', /did not answer within 4 s/],
];

for (const [marker, says] of faults) {
  test(`upstream ${marker}: the creator is told, the draft is kept, the create went out once`, async ({
    page,
    sim,
  }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await studio.uploadStart(await frameImages.valid());
    const prompt = `${uniquePrompt(`fault ${marker}`)} [sim:${marker}]`;
    await studio.prompt.fill(prompt);
    const before = (await sim.requests()).length;
    await studio.submit();
    await expect(studio.submitError).toContainText(says);
    // Nothing lost: the prompt and the frame are still there, and Generate can be pressed again.
    await expect(studio.prompt).toHaveValue(prompt);
    await expect(studio.frameMeta(1280, 720)).toBeVisible();
    await expect(studio.generate).toBeEnabled();
    // Exactly one create reached Kling for this press of Generate.
    await sim.requestWithPrompt(before, prompt);
    const sent = (await sim.requestsSince(before)).filter((r) => r.body.prompt === prompt);
    expect(sent).toHaveLength(1);
  });
}

test('upstream malformed answer: the studio finds the task Kling did create, so it is submitted once, not twice', async ({
  page,
  sim,
}) => {
  const studio = new StudioPage(page);
  await studio.goto();
  await studio.uploadStart(await frameImages.valid());
  // The simulator creates the task but answers with a truncated body; the studio looks the task up by its
  // external_task_id instead of sending the create again.
  const prompt = `${uniquePrompt('fault malformed')} [sim:malformed]`;
  await studio.prompt.fill(prompt);
  const before = (await sim.requests()).length;
  await studio.submit();
  await expect(studio.submitted).toBeVisible();
  const sent = (await sim.requestsSince(before)).filter((r) => r.body.prompt === prompt);
  expect(sent).toHaveLength(1);
});
