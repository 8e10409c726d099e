import { expect, type Locator, type Page } from '@playwright/test';

/** kling-v3's storyboard (design.md "storyboard"): the Multi-shot switch and the shot cards, by name. */
export class StoryboardEditor {
  readonly multiShot: Locator;
  readonly region: Locator;
  readonly addShot: Locator;
  readonly total: Locator;
  readonly timeline: Locator;
  readonly letKlingPlan: Locator;

  constructor(readonly page: Page) {
    this.multiShot = page.getByRole('switch', { name: 'Multi-shot', exact: true });
    this.region = page.getByRole('region', { name: 'Storyboard', exact: true });
    this.addShot = this.region.getByRole('button', { name: 'Add shot', exact: true });
    this.total = this.region.getByRole('status');
    this.timeline = this.region.getByRole('img', { name: /^Timeline of/ });
    this.letKlingPlan = this.region.getByRole('checkbox', { name: 'Let Kling plan the shots' });
  }

  /** The switch's input sits under its track: a creator clicks the label. */
  async turnOn() {
    await this.page.locator('label').filter({ has: this.multiShot }).click();
    await expect(this.multiShot).toBeChecked();
    await expect(this.region).toBeVisible();
  }

  shot(n: number): Locator {
    return this.region.getByRole('listitem', { name: `Shot ${n}`, exact: true });
  }

  shots(): Locator {
    return this.region.getByRole('listitem', { name: /^Shot \d$/ });
  }

  prompt(n: number): Locator {
    return this.region.getByRole('textbox', { name: `Shot ${n} prompt`, exact: true });
  }

  length(n: number): Locator {
    return this.region.getByRole('spinbutton', { name: `Shot ${n} length`, exact: true });
  }

  fitTo(seconds: number): Locator {
    return this.region.getByRole('button', { name: `Fit to ${seconds} s`, exact: true });
  }

  /** Adds shots until there are as many as given prompts, then types each prompt and length. */
  async layOut(shots: readonly { prompt: string; seconds: number }[]) {
    while ((await this.shots().count()) < shots.length) await this.addShot.click();
    for (const [i, s] of shots.entries()) {
      await this.prompt(i + 1).fill(s.prompt);
      await this.length(i + 1).fill(String(s.seconds));
    }
  }
}
