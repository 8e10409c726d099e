import { frameImages } from './assets/frame-images.ts';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { expect, test } from './fixtures.ts';
import { type MotionTabName, StudioPage } from './pages/studio-page.ts';

const SIZES = [
  { name: 'laptop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

/** Each Motion tab and what shows it has loaded (the brush and the reference panel load lazily). */
const TABS: { tab: MotionTabName; ready: (studio: StudioPage) => ReturnType<StudioPage['tab']> }[] = [
  { tab: 'Start & end frames', ready: (s) => s.endFrame },
  { tab: 'Motion brush', ready: (s) => s.page.getByRole('application', { name: 'Mask editor' }) },
  { tab: 'Camera', ready: (s) => s.slider('Horizontal') },
  { tab: 'Reference video', ready: (s) => s.page.getByLabel('Reference video', { exact: true }) },
];

for (const size of SIZES) {
  for (const scheme of SCHEMES) {
    test(`axe ${size.name} ${scheme}: the first screen, with a picture, and each Motion tab`, async ({
      page,
    }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.emulateMedia({ colorScheme: scheme });
      const studio = new StudioPage(page);
      await studio.goto();
      const where = `${size.name} ${scheme}`;
      await expectNoSeriousA11yViolations(page, `the first screen (${where})`);

      await page.getByRole('button', { name: 'Try a sample', exact: true }).click();
      await expect(studio.frameMeta(1280, 720)).toBeVisible();
      await expectNoSeriousA11yViolations(page, `a sample just loaded, the list open (${where})`);
      await page.keyboard.press('Escape');

      await studio.uploadStart(await frameImages.valid());
      await expect(page.getByRole('img', { name: 'Start frame preview' })).toBeVisible();
      for (const { tab, ready } of TABS) {
        await studio.tab(tab).click();
        await expect(ready(studio)).toBeAttached();
        await expectNoSeriousA11yViolations(page, `the ${tab} tab with a picture (${where})`);
      }
    });
  }
}
