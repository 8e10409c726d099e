import { type APIRequestContext, expect, type Locator, type Page } from '@playwright/test';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import { frameImages } from '../assets/frame-images.ts';

export type StatusText = 'Queued' | 'Submitted' | 'Processing' | 'Succeeded' | 'Failed' | 'Cancelled';

/**
 * How long a task may take to finish. The simulator really renders each video with ffmpeg, and with two
 * workers and other spec files on the same 2-core machine, renders queue: 5 s alone, 30 s+ under load.
 */
export const FINISH_TIMEOUT_MS = 90_000;

/** A prompt no other test (or earlier run on the shared server) can have: tests find their task by it. */
export { uniquePrompt } from '../fixtures.ts';

/** `POST /api/tasks` as a client other than this page would (another tab, a script). */
export async function createTaskViaApi(
  request: APIRequestContext,
  fields: Partial<CreateRequest> & { prompt: string },
): Promise<StudioTask> {
  const body: CreateRequest = {
    model_name: 'kling-v1-5',
    mode: 'pro',
    duration: '5',
    image: (await frameImages.valid()).buffer.toString('base64'),
    camera_control: {
      type: 'simple',
      config: { horizontal: 0, vertical: 0, pan: 5, tilt: 0, roll: 0, zoom: 0 },
    },
    ...fields,
  };
  const res = await request.post('/api/tasks', { data: body });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { task: StudioTask }).task;
}

/**
 * The "Tasks" region: the gallery of result cards (windowed: only the rows in view are in the page), the
 * selection bar, and the dialogs over the workspace ("Result", "Compare").
 */
export class TasksPage {
  readonly region: Locator;
  readonly gallery: Locator;
  /** The "Result" viewer (a modal dialog over the workspace). */
  readonly detail: Locator;
  readonly video: Locator;
  readonly download: Locator;
  readonly remix: Locator;
  readonly generateAgain: Locator;
  readonly failure: Locator;
  /** The viewer's status beside its title: "Queued · 3rd", "Succeeded". */
  readonly detailStatus: Locator;
  readonly selectionBar: Locator;
  readonly compareButton: Locator;
  readonly compareDialog: Locator;

  constructor(readonly page: Page) {
    this.region = page.getByRole('region', { name: 'Tasks' });
    this.gallery = this.region.getByRole('list', { name: 'Results' });
    this.detail = page.getByRole('dialog', { name: 'Result' });
    this.video = this.detail.getByLabel(/^Result video/);
    this.download = this.detail.getByRole('button', { name: 'Download' });
    this.remix = this.detail.getByRole('button', { name: 'Remix' });
    // Its name carries the cost: "Generate again · 3.5 units".
    this.generateAgain = this.detail.getByRole('button', { name: /^Generate again/ });
    this.failure = this.detail.getByRole('note', { name: 'Why it failed' });
    this.detailStatus = this.detail.locator('.tasks-status-line');
    this.selectionBar = this.region.getByRole('group', { name: 'Picked results' });
    this.compareButton = this.selectionBar.getByRole('button', { name: 'Compare', exact: true });
    this.compareDialog = page.getByRole('dialog', { name: 'Compare' });
  }

  /** Opens the studio (another one than the suite's when `url` is given) with its gallery live. */
  async goto(url = '/') {
    await this.page.goto(url);
    await expect(this.region).toBeVisible();
    // The list is subscribed to /api/events once it says so; a task created after this is pushed live.
    await expect(this.region.getByText('Live', { exact: true })).toBeVisible();
  }

  /**
   * The gallery card of the task with this prompt (prompts are unique per test). A batch is an item holding
   * a list of its cards: the card is the item with no list inside.
   */
  row(prompt: string): Locator {
    return this.region
      .getByRole('listitem')
      .filter({ hasText: prompt })
      .filter({ hasNot: this.page.getByRole('list') });
  }

  /** A batch's cards, in the batch's order: the list its header names ("Batch of 3 · Kling 1.0 · …"). */
  batch(words: string | RegExp): Locator {
    return this.gallery.getByRole('list', { name: words });
  }

  /** The Compare in a batch's header row. */
  batchCompare(words: string | RegExp): Locator {
    return (
      this.gallery
        .getByRole('listitem')
        // `has` looks inside each item: a locator of its own, not one from the page down.
        .filter({ has: this.page.getByRole('list', { name: words }) })
        .getByRole('button', { name: 'Compare', exact: true })
    );
  }

  /** The status line of a card ("Queued · 3rd · just now"). */
  statusLine(card: Locator): Locator {
    return card.locator('.gallery-line').first();
  }

  rowStatus(prompt: string, status: StatusText): Locator {
    return this.row(prompt).getByText(status, { exact: true });
  }

  /**
   * Scrolls the gallery until the card is among the rendered ones (new tasks are on top; other specs' tasks
   * may have pushed it down), then brings it into view. False when no card has the prompt.
   */
  async reveal(prompt: string): Promise<boolean> {
    return this.region.locator('.gallery').evaluate(async (gallery, p) => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const find = () => [...gallery.querySelectorAll('li')].find((li) => li.textContent?.includes(p));
      for (let top = 0; ; top += Math.max(100, gallery.clientHeight / 2)) {
        gallery.scrollTop = top;
        gallery.dispatchEvent(new Event('scroll'));
        await frame();
        const hit = find();
        if (hit) {
          hit.scrollIntoView({ block: 'nearest' });
          return true;
        }
        if (top >= gallery.scrollHeight) return false;
      }
    }, prompt);
  }

  /**
   * Waits for `count` of a batch's cards to say Succeeded. Other specs' tasks arriving on top may push the
   * batch out of the windowed gallery meanwhile: each look scrolls it back among the rendered cards first.
   */
  async expectBatchSucceeded(batch: Locator, prompt: string, count: number) {
    await expect
      .poll(
        async () =>
          (await this.reveal(prompt)) ? await batch.getByText('Succeeded', { exact: true }).count() : -1,
        { timeout: FINISH_TIMEOUT_MS, intervals: [250, 500, 1000] },
      )
      .toBe(count);
  }

  /** Waits for the task to reach a final status (renders can queue: see FINISH_TIMEOUT_MS). */
  async expectFinished(prompt: string, status: 'Succeeded' | 'Failed' = 'Succeeded') {
    await expect
      .poll(async () => (await this.reveal(prompt)) && (await this.rowStatus(prompt, status).isVisible()), {
        timeout: FINISH_TIMEOUT_MS,
        intervals: [250, 500, 1000],
      })
      .toBe(true);
  }

  /** Opens the task's card in the Result viewer. */
  async open(prompt: string) {
    await this.reveal(prompt);
    await this.row(prompt).getByRole('button', { name: prompt }).click();
    await expect(this.detail.getByRole('heading', { name: prompt })).toBeVisible();
  }

  async close() {
    await this.detail.getByRole('button', { name: 'Close result' }).click();
    await expect(this.detail).toHaveCount(0);
  }

  /** Unfolds the viewer's Details (ids, price, timestamps). */
  async showDetails() {
    const summary = this.detail.getByText('Details', { exact: true });
    if (!(await this.detail.locator('details').evaluate((d) => (d as HTMLDetailsElement).open)))
      await summary.click();
  }

  /**
   * Records every status the row shows, in order, from now on. Status changes can be quicker than a
   * polling assertion (the simulator's phases are 400 ms in e2e), so the page remembers them for us.
   */
  async recordStatuses(prompt: string) {
    await this.page.evaluate((p) => {
      const w = window as unknown as { __statuses?: Record<string, string[]> };
      w.__statuses ??= {};
      const seen: string[] = [];
      w.__statuses[p] = seen;
      const look = () => {
        for (const li of document.querySelectorAll('li')) {
          if (!li.textContent?.includes(p)) continue;
          const s = li.querySelector('[data-status]')?.textContent;
          if (s && seen.at(-1) !== s) seen.push(s);
        }
      };
      new MutationObserver(look).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
      });
      look();
    }, prompt);
    return {
      seen: () =>
        this.page.evaluate(
          (p) => (window as unknown as { __statuses: Record<string, string[]> }).__statuses[p] ?? [],
          prompt,
        ),
    };
  }

  /** Plays the result video muted (as autoplay policy allows) and proves frames are actually decoded. */
  async expectVideoPlays() {
    await expect(this.video).toBeVisible();
    await this.video.evaluate(async (v: HTMLVideoElement) => {
      v.muted = true;
      await v.play();
    });
    await expect.poll(() => this.video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0.3);
    expect(await this.video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  }

  async downloadVideo() {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.download.click()]);
    return download;
  }

  /** Ticks the card's checkbox: the selection bar compares and downloads the picks. */
  async pick(prompt: string) {
    await this.reveal(prompt);
    await this.row(prompt)
      .getByRole('checkbox', { name: `Pick ${prompt}` })
      .check();
  }

  async pickForCompare(prompt: string) {
    await this.pick(prompt);
  }
}
