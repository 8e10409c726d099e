import { expect, type Locator, type Page } from '@playwright/test';
import type { FilePayload } from '../assets/frame-images.ts';

export type AxisName = 'Horizontal' | 'Vertical' | 'Pan' | 'Tilt' | 'Roll' | 'Zoom';
export type MotionTabName = 'Start & end frames' | 'Motion brush' | 'Camera' | 'Reference video';

/**
 * The composer as a creator sees it: located by accessible names only (design.md), exact, so other
 * controls mentioning the same words ("Generate again") never match.
 */
export class StudioPage {
  readonly startFrame: Locator;
  readonly endFrame: Locator;
  readonly model: Locator;
  readonly mode: Locator;
  readonly duration: Locator;
  readonly prompt: Locator;
  readonly negativePrompt: Locator;
  /** The action bar (region "Generate"): setup, cost, why Generate is off, and the button. */
  readonly actionBar: Locator;
  readonly generate: Locator;
  readonly generateReasons: Locator;
  readonly submitted: Locator;
  /** "Submitted as 3 tasks …": a press of several takes, or a batch drop. */
  readonly submittedMany: Locator;
  readonly submitError: Locator;
  /** The "Takes" select beside Generate (1–4 identical tasks in one press). */
  readonly takes: Locator;
  readonly requestJson: Locator;

  constructor(readonly page: Page) {
    this.startFrame = page.getByLabel('Start frame', { exact: true });
    this.endFrame = page.getByLabel('End frame', { exact: true });
    this.model = page.getByLabel('Model', { exact: true });
    this.mode = page.getByLabel('Mode', { exact: true });
    this.duration = page.getByLabel('Duration', { exact: true });
    this.prompt = page.getByLabel('Prompt', { exact: true });
    this.negativePrompt = page.getByLabel('Negative prompt', { exact: true });
    this.actionBar = page.getByRole('region', { name: 'Generate', exact: true });
    this.generate = page.getByRole('button', { name: 'Generate', exact: true });
    this.generateReasons = page.locator('.reasons');
    this.submitted = page.getByText(/^Submitted as task/);
    this.submittedMany = page.getByText(/^Submitted as \d+ tasks/);
    this.submitError = page.getByRole('alert').filter({ hasText: 'Not submitted' });
    this.requestJson = page.getByTestId('request-json');
    this.takes = this.actionBar.getByLabel('Takes', { exact: true });
  }

  /** Generate with several takes: its name starts "Generate ×N" and carries the total. */
  generateTakes(n: number): Locator {
    return this.actionBar.getByRole('button', { name: new RegExp(`^Generate ×${n} · `) });
  }

  /** The question after several pictures are dropped onto the start frame ("5 pictures · one task each …"). */
  batchQuestion(): Locator {
    return this.actionBar.getByRole('alertdialog').filter({ hasText: 'one task each' });
  }

  /** The studio's running/queued counts in the action bar ("2 running · 3 queued"). */
  queueCounts(): Locator {
    return this.actionBar.getByText(/\d+ (running|queued)/);
  }

  async goto() {
    await this.page.goto('/');
    await expect(this.generate).toBeVisible();
  }

  /** The question before a copy of a request that is still running ("Generate another?"). */
  confirmDuplicate(): Locator {
    return this.page.getByRole('alertdialog').filter({ hasText: 'still running' });
  }

  tab(name: MotionTabName): Locator {
    return this.page.getByRole('tab', { name, exact: true });
  }

  slider(name: AxisName): Locator {
    return this.page.getByRole('slider', { name, exact: true });
  }

  /** "That image can't be used:" under a frame picker. */
  rejection(): Locator {
    return this.page.getByRole('alert').filter({ hasText: "That image can't be used" });
  }

  /** The "1280 × 720 px" line under a frame, once it is accepted. */
  frameMeta(width: number, height: number): Locator {
    return this.page.getByText(`${width} × ${height} px`, { exact: true });
  }

  async uploadStart(file: FilePayload) {
    await this.startFrame.setInputFiles(file);
  }

  async uploadEnd(file: FilePayload) {
    await this.tab('Start & end frames').click();
    await this.endFrame.setInputFiles(file);
  }

  /** Accepts the composer's offer to move to a setup that supports what was picked. */
  async switchTo(setup: string) {
    await this.page.getByRole('button', { name: `Switch to ${setup}`, exact: true }).click();
  }

  async setCamera(axis: AxisName, value: number) {
    await this.tab('Camera').click();
    await this.slider(axis).fill(String(value));
  }

  /** Paints a horizontal stroke across the middle of the mask editor's canvas (fractions of its box). */
  async paintStroke(from = 0.3, to = 0.6) {
    const canvas = this.page.getByRole('application', { name: 'Mask editor' }).locator('canvas').last();
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the mask editor has no canvas on screen');
    await this.page.mouse.move(box.x + box.width * from, box.y + box.height * 0.5);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * to, box.y + box.height * 0.55, { steps: 10 });
    await this.page.mouse.up();
  }

  option(select: Locator, value: string): Locator {
    return select.locator(`option[value="${value}"]`);
  }

  async submit() {
    await expect(this.generate).toBeEnabled();
    await this.generate.click();
  }
}
