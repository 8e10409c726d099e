import type { APIRequestContext } from '@playwright/test';
import {
  corpusDir,
  gif1x1,
  jpegCutMidScan,
  paddedPng,
  pngBomb,
  pngCutInHeader,
  pngWithGarbageIdat,
  solidPng,
  svgImage,
} from './assets/bad-images.ts';
import { frameImages } from './assets/frame-images.ts';
import { expect, type Sim, type SimRequest, test } from './fixtures.ts';
import { StudioPage } from './pages/studio-page.ts';
import { uniquePrompt } from './pages/tasks-page.ts';

/**
 * The UI side of the bad-input corpus (the API side of the full corpus is server/routes/
 * create-validation.test.ts). Every bad file a creator can pick, through the "Start frame" input and
 * the "End frame" input: the picker refuses it with the rule's message naming the field, nothing is
 * sent upstream, and the same bytes POSTed straight to /api/tasks get a 400 with the same field, rule
 * and words — the browser and the backend run the same rules from contract/rules/image-rules.ts.
 */

type Slot = 'start' | 'end';
const SLOTS: Slot[] = ['start', 'end'];
const FIELD = { start: 'image', end: 'image_tail' } as const;
const LABEL = { start: 'Start frame (image)', end: 'End frame (image_tail)' } as const;

interface BadFile {
  what: string;
  /** The file's name as the creator's disk would have it. */
  name: string;
  bytes: () => Promise<Buffer>;
  rule: string;
  /** What the rule says after "<field label>: ". */
  says: string;
  /** The one-click fix offered beside the refusal (frame-fixes.spec.ts applies each). */
  fix?: 'Crop to fit' | 'Compress' | 'Upscale';
}

const BAD_FILES: BadFile[] = [
  {
    what: 'a text file named .png',
    name: 'holiday.png',
    bytes: async () => Buffer.from('This is a text file wearing a .png name.\n'),
    rule: 'image_format',
    says: 'must be a JPG or PNG image, but this is not an image Kling can read',
  },
  {
    what: 'an SVG',
    name: 'logo.svg',
    bytes: async () => svgImage(1280, 720),
    rule: 'image_format',
    says: 'must be a JPG or PNG image, but this is an SVG image',
  },
  {
    what: 'a GIF named .png',
    name: 'animated.png',
    bytes: async () => gif1x1(),
    rule: 'image_format',
    says: 'must be a JPG or PNG image, but this is a GIF image',
  },
  {
    what: 'an empty file',
    name: 'empty.png',
    bytes: async () => Buffer.alloc(0),
    rule: 'image_empty',
    says: 'the file is empty',
  },
  {
    what: 'a PNG cut off inside its header',
    name: 'cut.png',
    bytes: async () => pngCutInHeader(),
    rule: 'image_unreadable',
    says: 'the image header is damaged, so its dimensions cannot be read',
  },
  {
    what: '10 MB + 1 byte',
    name: 'huge.png',
    bytes: () => paddedPng(10 * 1024 * 1024 + 1),
    rule: 'image_too_large',
    says: '10.0 MB is over the 10 MB limit',
    fix: 'Compress',
  },
  {
    what: '299 px wide',
    name: 'small.png',
    bytes: () => solidPng(299, 400),
    rule: 'image_too_small',
    says: '299×400 px is below the 300 px minimum for each side',
    fix: 'Upscale',
  },
  {
    what: '1:2.6',
    name: 'narrow.png',
    bytes: () => solidPng(300, 780),
    rule: 'image_aspect',
    says: '1:2.6 is narrower than 1:2.5 (aspect ratio must be 1:2.5 to 2.5:1)',
    fix: 'Crop to fit',
  },
  {
    what: '2.6:1',
    name: 'wide.png',
    bytes: () => solidPng(780, 300),
    rule: 'image_aspect',
    says: '2.6:1 is wider than 2.5:1 (aspect ratio must be 1:2.5 to 2.5:1)',
    fix: 'Crop to fit',
  },
  {
    // Decoding it would need 10.8 GB; its IDAT holds 1 KB, so a decoder would fail with "truncated",
    // never with the declared size: the size in the message proves it was judged from the header.
    what: 'a decompression bomb (a 300-byte PNG declaring 60000×60000)',
    name: 'bomb.png',
    bytes: async () => pngBomb(60_000, 60_000),
    rule: 'image_too_big',
    says: '60000×60000 px is over the 8192 px per side limit',
  },
  {
    // Signature, IHDR, IEND and every CRC are right; the IDAT is random bytes no decoder can inflate.
    what: 'a PNG with garbage IDAT (chunks and CRCs valid)',
    name: 'bad-idat.png',
    bytes: async () => pngWithGarbageIdat(640, 480),
    rule: 'image_damaged',
    says: 'the picture data is damaged, so Kling could not read it',
  },
  {
    // Cut 60 bytes before its end, inside the IDAT: the header is fine, the framing and the data are not.
    what: 'a PNG cut off inside its picture data',
    name: 'truncated.png',
    bytes: async () => (await solidPng(640, 480)).subarray(0, -60),
    rule: 'image_damaged',
    says: 'the picture data is damaged, so Kling could not read it',
  },
  {
    // SOI to EOI and every segment whole, but the scan stops 40 bytes in: Chromium still shows it.
    what: 'a JPEG cut mid-scan with FFD9 appended',
    name: 'trunc-scan.jpg',
    bytes: () => jpegCutMidScan(640, 480),
    rule: 'image_damaged',
    says: 'the picture data is damaged, so Kling could not read it',
  },
];

/** Format is judged by content, not by name: PNG bytes named .jpg are a PNG, and accepted. */
const LYING_EXTENSION = { name: 'photo.jpg', bytes: () => solidPng(640, 360, 200) };

let files: ReturnType<typeof corpusDir> | undefined;
const path: Record<string, string> = {};
const bytes: Record<string, Buffer> = {};
let validStart: Buffer;

// Made in the worker, not at import: the runner process also loads this file to list the tests.
test.beforeAll(async () => {
  files = corpusDir('ui');
  for (const f of [...BAD_FILES, LYING_EXTENSION]) {
    bytes[f.name] = await f.bytes();
    path[f.name] = files.write(f.name, bytes[f.name]!);
  }
  validStart = (await frameImages.valid()).buffer;
});
test.afterAll(() => files?.remove());

/** Sim requests since `before` that carry this test's prompt or any of these images. */
async function sentSince(sim: Sim, before: number, prompt: string, images: Buffer[]) {
  const b64 = new Set(images.map((b) => b.toString('base64')));
  return (await sim.requestsSince(before)).filter(
    (r) =>
      r.body.prompt === prompt ||
      b64.has(String(r.body.image ?? '\0')) ||
      b64.has(String(r.body.image_tail ?? '\0')),
  );
}

/** Waits for the one request carrying `prompt` (a create is never sent twice for one submission). */
async function sentExactlyOnce(sim: Sim, before: number, prompt: string): Promise<SimRequest> {
  await expect.poll(async () => (await sentSince(sim, before, prompt, [])).length).toBe(1);
  const sent = await sentSince(sim, before, prompt, []);
  expect(sent).toHaveLength(1);
  return sent[0]!;
}

/** Opens the studio; for the end slot, with a valid start frame and the "Start & end frames" tab. */
async function openFor(studio: StudioPage, slot: Slot, prompt: string) {
  await studio.goto();
  await studio.prompt.fill(prompt);
  if (slot === 'end') {
    // The studio starts on kling-v2-6, whose std mode takes no end frame; kling-v1 std 5s does.
    await studio.model.selectOption('kling-v1');
    await studio.uploadStart(await frameImages.valid());
    await expect(studio.frameMeta(1280, 720)).toBeVisible();
    await studio.tab('Start & end frames').click();
  }
}

const input = (studio: StudioPage, slot: Slot) => (slot === 'start' ? studio.startFrame : studio.endFrame);
const preview = (studio: StudioPage, slot: Slot) =>
  studio.page.getByRole('img', { name: slot === 'start' ? 'Start frame preview' : 'End frame preview' });
/** The Summary's "Start frame"/"End frame" line: what Generate would send for that frame. */
const summaryLine = (studio: StudioPage, slot: Slot) =>
  studio.page
    .locator('.summary dt', { hasText: slot === 'start' ? 'Start frame' : 'End frame' })
    .locator('+ dd');

function apiBody(slot: Slot, image: Buffer, prompt: string): Record<string, string> {
  return slot === 'start'
    ? { image: image.toString('base64'), prompt }
    : { image: validStart.toString('base64'), image_tail: image.toString('base64'), prompt };
}

async function postTask(request: APIRequestContext, body: Record<string, string>) {
  const res = await request.post('/api/tasks', { data: body });
  return {
    status: res.status(),
    json: (await res.json()) as { error?: { code: string; issues?: unknown[] } },
  };
}

for (const slot of SLOTS) {
  for (const bad of BAD_FILES) {
    const message = `${LABEL[slot]}: ${bad.says}`;

    test(`UI ${slot} frame refuses ${bad.what}`, async ({ page, sim }) => {
      const studio = new StudioPage(page);
      const prompt = uniquePrompt(`bad-input ui ${slot} ${bad.name}`);
      await openFor(studio, slot, prompt);
      const before = (await sim.requests()).length;

      await input(studio, slot).setInputFiles(path[bad.name]!);
      await expect(studio.rejection().getByRole('listitem')).toHaveText([message]);
      // The fix its rule calls for, beside the refusal; none for what no fix can mend.
      await expect(studio.rejection().getByRole('button')).toHaveText(bad.fix ? [bad.fix] : []);
      // The refused file never becomes the frame.
      await expect(preview(studio, slot)).toHaveCount(0);
      await expect(summaryLine(studio, slot)).toHaveText('none');
      if (slot === 'start') {
        // Nothing to generate from: the button is off and says why.
        await expect(studio.generateReasons).toContainText('Start frame (image): a start frame is required');
        await expect(studio.generate).toBeDisabled();
      } else {
        // The start frame alone is still a valid request; what it would send carries no end frame.
        await expect(studio.frameMeta(1280, 720)).toHaveCount(1);
        await page.getByText('Request JSON', { exact: true }).click();
        await expect(studio.requestJson).toContainText('"image"');
        const json = JSON.parse((await studio.requestJson.textContent()) ?? '{}');
        expect(json.image).toMatch(/^<base64 PNG 1280×720, .+ — elided>$/);
        expect(json).not.toHaveProperty('image_tail');
      }
      expect(await sentSince(sim, before, prompt, [bytes[bad.name]!])).toEqual([]);
    });

    test(`API ${FIELD[slot]} refuses ${bad.what} with the same field, rule and words`, async ({
      request,
      sim,
    }) => {
      const prompt = uniquePrompt(`bad-input api ${slot} ${bad.name}`);
      const before = (await sim.requests()).length;
      const { status, json } = await postTask(request, apiBody(slot, bytes[bad.name]!, prompt));
      expect(status, JSON.stringify(json)).toBe(400);
      expect(json.error?.code).toBe('validation_failed');
      expect(json.error?.issues).toEqual([{ field: FIELD[slot], rule: bad.rule, message }]);
      expect(await sentSince(sim, before, prompt, [bytes[bad.name]!])).toEqual([]);
    });
  }

  test(`UI ${slot} frame accepts PNG bytes named .jpg as a PNG, and sends exactly them`, async ({
    page,
    sim,
  }) => {
    const studio = new StudioPage(page);
    const prompt = uniquePrompt(`bad-input ui ${slot} lying-extension`);
    await openFor(studio, slot, prompt);
    await input(studio, slot).setInputFiles(path[LYING_EXTENSION.name]!);
    await expect(studio.frameMeta(640, 360)).toBeVisible();
    await expect(summaryLine(studio, slot)).toHaveText(/^640×360 PNG, /);
    await expect(preview(studio, slot)).toBeVisible();
    await expect(studio.rejection()).toHaveCount(0);

    const before = (await sim.requests()).length;
    await studio.submit();
    await expect(studio.submitted).toBeVisible();
    const sent = await sentExactlyOnce(sim, before, prompt);
    expect(sent.body[FIELD[slot]]).toBe(bytes[LYING_EXTENSION.name]!.toString('base64'));
  });

  test(`API ${FIELD[slot]} takes the same PNG bytes (the API never sees a file name)`, async ({
    request,
    sim,
  }) => {
    const prompt = uniquePrompt(`bad-input api ${slot} lying-extension`);
    const before = (await sim.requests()).length;
    const { status, json } = await postTask(request, apiBody(slot, bytes[LYING_EXTENSION.name]!, prompt));
    expect(status, JSON.stringify(json)).toBe(201);
    const sent = await sentExactlyOnce(sim, before, prompt);
    expect(sent.body[FIELD[slot]]).toBe(bytes[LYING_EXTENSION.name]!.toString('base64'));
  });
}

test('a refused file never replaces the accepted start frame, whatever it is', async ({ page, sim }) => {
  const studio = new StudioPage(page);
  const prompt = uniquePrompt('bad-input ui keeps-frame');
  await openFor(studio, 'start', prompt);
  await studio.uploadStart(await frameImages.valid());
  await expect(studio.frameMeta(1280, 720)).toBeVisible();
  const before = (await sim.requests()).length;
  for (const bad of BAD_FILES) {
    await studio.startFrame.setInputFiles(path[bad.name]!);
    await expect(studio.rejection().getByRole('listitem')).toHaveText([`${LABEL.start}: ${bad.says}`]);
    await expect(studio.frameMeta(1280, 720)).toBeVisible();
    await expect(preview(studio, 'start')).toHaveCount(1);
  }
  await expect(summaryLine(studio, 'start')).toHaveText(/^1280×720 PNG, /);
  await expect(studio.generate).toBeEnabled();
  expect(
    await sentSince(
      sim,
      before,
      prompt,
      BAD_FILES.map((f) => bytes[f.name]!),
    ),
  ).toEqual([]);
});
