import { describe, expect, it } from 'vitest';
import { decodeBase64Prefix } from '../../../contract/images/base64.ts';
import { LIMITS } from '../../../contract/limits.ts';
import {
  gifHeader,
  jpegCutMidScan,
  jpegImage,
  pngImage,
  pngWithGarbageIdat,
} from '../../../contract/testing/test-images.ts';
import { checkImageBytes, checkImageFile } from './check-image.ts';
import { frameFromBytes, frameFromFile } from './ingest.ts';

const rules = (bytes: Uint8Array, slot: 'start' | 'end' = 'start') =>
  checkImageBytes(bytes, bytes.length, slot).violations;

describe('frame checks on real bytes', () => {
  it('accepts a 640×360 PNG and a 1280×720 JPEG', () => {
    expect(rules(pngImage(640, 360))).toEqual([]);
    expect(rules(jpegImage(1280, 720))).toEqual([]);
  });

  it.each([
    // [what, bytes, rule, message]
    [
      'tiny',
      () => pngImage(120, 120),
      'image_too_small',
      'Start frame (image): 120×120 px is below the 300 px minimum for each side',
    ],
    [
      'too narrow (300×840 = 1:2.8)',
      () => pngImage(300, 840),
      'image_aspect',
      'Start frame (image): 1:2.8 is narrower than 1:2.5 (aspect ratio must be 1:2.5 to 2.5:1)',
    ],
    [
      'too wide (1000×300 = 3.33:1)',
      () => pngImage(1000, 300),
      'image_aspect',
      'Start frame (image): 3.33:1 is wider than 2.5:1 (aspect ratio must be 1:2.5 to 2.5:1)',
    ],
    [
      'a GIF',
      () => gifHeader(640, 360),
      'image_format',
      'Start frame (image): must be a JPG or PNG image, but this is a GIF image',
    ],
    [
      'not an image',
      () => new TextEncoder().encode('hello, I am a text file pretending to be a .png'),
      'image_format',
      'Start frame (image): must be a JPG or PNG image, but this is not an image Kling can read',
    ],
    ['empty', () => new Uint8Array(0), 'image_empty', 'Start frame (image): the file is empty'],
  ])('refuses %s with its rule and the actual value', (_what, bytes, rule, message) => {
    expect(rules(bytes())).toEqual([{ field: 'image', rule, message }]);
  });

  it('refuses a PNG over 10 MB, saying how big it is', () => {
    const big = pngImage(400, 400, { padToBytes: LIMITS.imageMaxBytes + 512 * 1024 });
    expect(rules(big)).toEqual([
      {
        field: 'image',
        rule: 'image_too_large',
        message: 'Start frame (image): 10.5 MB is over the 10 MB limit',
      },
    ]);
  });

  it('names the end frame by its own field', () => {
    expect(rules(pngImage(100, 400), 'end')[0]).toMatchObject({ field: 'image_tail' });
    expect(rules(pngImage(100, 400), 'end')[0]!.message).toMatch(/^End frame \(image_tail\): 100×400 px/);
  });

  it('judges by content, not by the file name', async () => {
    const png = pngImage(640, 360);
    const r = await frameFromFile(new File([png as Uint8Array<ArrayBuffer>], 'photo.jpg'), 'start');
    expect(r.ok && r.frame.source === 'file' && r.frame.facts.format).toBe('png');
    const text = new File(['not really'], 'photo.png', { type: 'image/png' });
    expect(await frameFromFile(text, 'start')).toMatchObject({
      ok: false,
      violations: [{ rule: 'image_format' }],
    });
  });

  it('keeps a valid image as raw base64 without a data: prefix, byte for byte', () => {
    const png = pngImage(320, 320);
    const r = frameFromBytes(png, 'a.png', 'start');
    if (!r.ok || r.frame.source !== 'file') throw new Error('expected a file frame');
    expect(r.frame.base64.startsWith('data:')).toBe(false);
    expect(r.frame.base64.startsWith('iVBORw0KGgo')).toBe(true);
    expect(Buffer.from(decodeBase64Prefix(r.frame.base64)).equals(Buffer.from(png))).toBe(true);
    expect(r.frame.facts).toEqual({ format: 'png', bytes: png.length, width: 320, height: 320 });
  });

  it('judges a fix’s own encoding by the same rules, only without decoding it again', async () => {
    const small = new File([pngImage(200, 200) as Uint8Array<ArrayBuffer>], 'small-upscaled.png');
    expect(await frameFromFile(small, 'start', { encodedHere: true })).toMatchObject({
      ok: false,
      violations: [{ rule: 'image_too_small' }],
    });
    const big = pngImage(400, 400, { padToBytes: LIMITS.imageMaxBytes + 1 });
    const r = await frameFromFile(new File([big as Uint8Array<ArrayBuffer>], 'big.png'), 'end', {
      encodedHere: true,
    });
    expect(r).toMatchObject({ ok: false, violations: [{ field: 'image_tail', rule: 'image_too_large' }] });
    const ok = await frameFromFile(
      new File([jpegImage(640, 360) as Uint8Array<ArrayBuffer>], 'c.jpg'),
      'start',
      {
        encodedHere: true,
      },
    );
    expect(ok.ok && ok.frame.source === 'file' && ok.frame.facts).toMatchObject({
      format: 'jpeg',
      width: 640,
    });
  });

  it('reads only the head of an oversized file', async () => {
    const big = pngImage(400, 400, { padToBytes: 11 * 1024 * 1024 });
    const r = await frameFromFile(new File([big as Uint8Array<ArrayBuffer>], 'big.png'), 'start');
    expect(r).toMatchObject({ ok: false, violations: [{ rule: 'image_too_large' }] });
  });
});

describe('picture data past the header', () => {
  const damaged = (label: string, field: string) => [
    {
      field,
      rule: 'image_damaged',
      message: `${label}: the picture data is damaged, so Kling could not read it`,
    },
  ];

  it('accepts a whole PNG and a whole JPEG', async () => {
    expect((await checkImageFile(pngImage(640, 360), 'start')).violations).toEqual([]);
    expect(
      (await checkImageFile(jpegImage(640, 360, { noise: 1, quality: 90 }), 'start')).violations,
    ).toEqual([]);
  });

  it.each([
    ['a PNG with garbage IDAT (chunks and CRCs valid)', () => pngWithGarbageIdat(640, 360)],
    ['a JPEG cut mid-scan with FFD9 appended', () => jpegCutMidScan(640, 360)],
  ])('refuses %s with the backend’s rule and words, before upload', async (_what, make) => {
    const bytes = make();
    // The header alone looks fine: only the picture data gives it away.
    expect(rules(bytes)).toEqual([]);
    expect((await checkImageFile(bytes, 'start')).violations).toEqual(
      damaged('Start frame (image)', 'image'),
    );
    expect((await checkImageFile(bytes, 'end')).violations).toEqual(
      damaged('End frame (image_tail)', 'image_tail'),
    );
    const picked = await frameFromFile(new File([bytes as Uint8Array<ArrayBuffer>], 'holiday.png'), 'start');
    expect(picked).toEqual({
      ok: false,
      violations: damaged('Start frame (image)', 'image'),
      // What the header says travels with the refusal (a fix needs it); no fix is offered for damage.
      facts: expect.objectContaining({ width: 640, height: 360 }),
    });
  });
});
