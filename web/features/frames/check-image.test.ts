import { encode as encodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeBase64Prefix } from '../../../contract/images/base64.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { encodePng, gifHeaderBytes, jpegHeaderBytes } from '../../testing/png.ts';
import { checkImageBytes, checkImageFile } from './check-image.ts';
import { frameFromBytes, frameFromFile } from './ingest.ts';

const rules = (bytes: Uint8Array, slot: 'start' | 'end' = 'start') =>
  checkImageBytes(bytes, bytes.length, slot).violations;

describe('frame checks on real bytes', () => {
  it('accepts a 640×360 PNG and a 1280×720 JPEG', () => {
    expect(rules(encodePng(640, 360))).toEqual([]);
    expect(rules(jpegHeaderBytes(1280, 720))).toEqual([]);
  });

  it.each([
    // [what, bytes, rule, message]
    [
      'tiny',
      () => encodePng(120, 120),
      'image_too_small',
      'Start frame (image): 120×120 px is below the 300 px minimum for each side',
    ],
    [
      'too narrow (300×840 = 1:2.8)',
      () => encodePng(300, 840),
      'image_aspect',
      'Start frame (image): 1:2.8 is narrower than 1:2.5 (aspect ratio must be 1:2.5 to 2.5:1)',
    ],
    [
      'too wide (1000×300 = 3.33:1)',
      () => encodePng(1000, 300),
      'image_aspect',
      'Start frame (image): 3.33:1 is wider than 2.5:1 (aspect ratio must be 1:2.5 to 2.5:1)',
    ],
    [
      'a GIF',
      () => gifHeaderBytes(640, 360),
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
    const big = encodePng(400, 400, { padToBytes: LIMITS.imageMaxBytes + 512 * 1024 });
    expect(rules(big)).toEqual([
      {
        field: 'image',
        rule: 'image_too_large',
        message: 'Start frame (image): 10.5 MB is over the 10 MB limit',
      },
    ]);
  });

  it('names the end frame by its own field', () => {
    expect(rules(encodePng(100, 400), 'end')[0]).toMatchObject({ field: 'image_tail' });
    expect(rules(encodePng(100, 400), 'end')[0]!.message).toMatch(/^End frame \(image_tail\): 100×400 px/);
  });

  it('judges by content, not by the file name', async () => {
    const png = encodePng(640, 360);
    const r = await frameFromFile(new File([png as Uint8Array<ArrayBuffer>], 'photo.jpg'), 'start');
    expect(r.ok && r.frame.source === 'file' && r.frame.facts.format).toBe('png');
    const text = new File(['not really'], 'photo.png', { type: 'image/png' });
    expect(await frameFromFile(text, 'start')).toMatchObject({
      ok: false,
      violations: [{ rule: 'image_format' }],
    });
  });

  it('keeps a valid image as raw base64 without a data: prefix, byte for byte', () => {
    const png = encodePng(320, 320);
    const r = frameFromBytes(png, 'a.png', 'start');
    if (!r.ok || r.frame.source !== 'file') throw new Error('expected a file frame');
    expect(r.frame.base64.startsWith('data:')).toBe(false);
    expect(r.frame.base64.startsWith('iVBORw0KGgo')).toBe(true);
    expect(Buffer.from(decodeBase64Prefix(r.frame.base64)).equals(Buffer.from(png))).toBe(true);
    expect(r.frame.facts).toEqual({ format: 'png', bytes: png.length, width: 320, height: 320 });
  });

  it('reads only the head of an oversized file', async () => {
    const big = encodePng(400, 400, { padToBytes: 11 * 1024 * 1024 });
    const r = await frameFromFile(new File([big as Uint8Array<ArrayBuffer>], 'big.png'), 'start');
    expect(r).toMatchObject({ ok: false, violations: [{ rule: 'image_too_large' }] });
  });
});

// Until contract/testing/test-images.ts brings shared generators: damaged files made from real ones.
const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Uint8Array) => {
  let c = 0xffffffff;
  for (const x of b) c = CRC[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
/** A real PNG whose IDAT data is overwritten with random bytes, its CRC recomputed: only the data is wrong. */
function pngWithGarbageIdat(w: number, h: number): Uint8Array {
  const png = encodePng(w, h).slice();
  const dv = new DataView(png.buffer);
  let i = 8;
  while (String.fromCharCode(...png.subarray(i + 4, i + 8)) !== 'IDAT') i += 12 + dv.getUint32(i);
  const len = dv.getUint32(i);
  let seed = 5;
  for (let k = 0; k < len; k++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    png[i + 8 + k] = seed & 0xff;
  }
  dv.setUint32(i + 8 + len, crc32(png.subarray(i + 4, i + 8 + len)));
  return png;
}
function realJpeg(w: number, h: number): Uint8Array {
  const data = new Uint8Array(w * h * 4).map((_, i) => (i * 7 + (i >> 9)) & 0xff);
  return new Uint8Array(encodeJpeg({ width: w, height: h, data }, 90).data);
}
/** A real JPEG cut 40 bytes into its scan with FFD9 appended: SOI to EOI, but the scan stops early. */
function jpegCutMidScan(w: number, h: number): Uint8Array {
  const jpeg = realJpeg(w, h);
  let sos = 2;
  while (!(jpeg[sos] === 0xff && jpeg[sos + 1] === 0xda)) sos += 2 + ((jpeg[sos + 2]! << 8) | jpeg[sos + 3]!);
  const scan = sos + 2 + ((jpeg[sos + 2]! << 8) | jpeg[sos + 3]!);
  return new Uint8Array([...jpeg.subarray(0, scan + 40), 0xff, 0xd9]);
}

describe('picture data past the header', () => {
  const damaged = (label: string, field: string) => [
    {
      field,
      rule: 'image_damaged',
      message: `${label}: the picture data is damaged, so Kling could not read it`,
    },
  ];

  it('accepts a whole PNG and a whole JPEG', async () => {
    expect((await checkImageFile(encodePng(640, 360), 'start')).violations).toEqual([]);
    expect((await checkImageFile(realJpeg(640, 360), 'start')).violations).toEqual([]);
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
    expect(picked).toEqual({ ok: false, violations: damaged('Start frame (image)', 'image') });
  });
});
