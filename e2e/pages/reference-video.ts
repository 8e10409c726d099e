import { expect, type Locator, type Page } from '@playwright/test';

/**
 * The Reference video tab (motion control) as a creator sees it, by its accessible names (design.md).
 * The tab and the file input share the name "Reference video": the input is found among file inputs.
 */
export class ReferenceVideoTab {
  readonly tab: Locator;
  readonly input: Locator;
  readonly orientation: Locator;
  readonly matchPicture: Locator;
  readonly matchVideo: Locator;
  readonly keepSound: Locator;
  readonly progress: Locator;
  readonly preview: Locator;
  readonly uploaded: Locator;
  readonly rejection: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByRole('tab', { name: 'Reference video', exact: true });
    this.input = page.locator('input[type="file"]').and(page.getByLabel('Reference video', { exact: true }));
    this.orientation = page.getByRole('radiogroup', { name: 'Character orientation' });
    this.matchPicture = this.orientation.getByRole('radio', { name: 'Match the picture', exact: true });
    this.matchVideo = this.orientation.getByRole('radio', { name: 'Match the video', exact: true });
    this.keepSound = page.getByRole('switch', { name: "Keep the video's sound", exact: true });
    this.progress = page.getByRole('progressbar', { name: 'Uploading the reference video' });
    this.preview = page.getByLabel('Reference video preview', { exact: true });
    this.uploaded = page.locator('.frame-meta').getByText('uploaded', { exact: true });
    this.rejection = page.getByRole('alert').filter({ hasText: "That video can't be used" });
  }

  async open() {
    await this.tab.click();
    await expect(this.orientation).toBeVisible();
  }

  /** The "4 s · 480 × 360 px" facts line under the clip. */
  facts(width: number, height: number): Locator {
    return this.page.locator('.frame-meta').getByText(`${width} × ${height} px`, { exact: true });
  }
}
