import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../contract/images/base64.ts';
import {
  jpegCutMidScan,
  jpegImage,
  pngBomb,
  pngImage,
  pngWithGarbageIdat,
} from '../../contract/testing/test-images.ts';
import { StudioError } from '../lib/studio-error.ts';
import { checkCreateRequest } from './check-create-request.ts';
import { collectImages } from './collect-images.ts';
import { startIntegrityCheckEarly } from './image-integrity.ts';

// Base64 images only: nothing is fetched.
const fetchOpts = { timeoutMs: 1000 };
const b64 = (bytes: Uint8Array) => encodeBase64(bytes);

/** The rules a refused create names, by field; [] when it passes. */
async function refusals(body: Record<string, unknown>): Promise<string[]> {
  try {
    await checkCreateRequest(body, fetchOpts);
    return [];
  } catch (e) {
    if (!(e instanceof StudioError)) throw e;
    return (e.details.issues ?? []).map((i) => `${i.field}:${i.rule}`);
  }
}

describe('checkCreateRequest with the integrity checks started early', () => {
  it('passes a whole PNG and a whole JPEG', async () => {
    expect(await refusals({ image: b64(pngImage(640, 360)), prompt: 'a' })).toEqual([]);
    expect(await refusals({ image: b64(jpegImage(640, 360)), prompt: 'a' })).toEqual([]);
  });

  it.each([
    ['a PNG with garbage IDAT', () => pngWithGarbageIdat(640, 480)],
    ['a JPEG cut mid-scan', () => jpegCutMidScan(640, 480)],
    ['a PNG cut short', () => pngImage(640, 360).subarray(0, 2000)],
  ])('refuses %s as damaged, and only once the rules pass', async (_what, make) => {
    const image = b64(make());
    expect(await refusals({ image, prompt: 'a' })).toEqual(['image:image_damaged']);
    // The rules' refusal comes alone, as before: the damage is not reported beside it.
    expect(await refusals({ image, prompt: 'a', nonsense: true })).toEqual(['nonsense:unknown_field']);
  });

  it('starts them for the create, not for a mere collect', async () => {
    const body = { image: b64(pngImage(640, 360)) };
    const early = await collectImages(body, fetchOpts, undefined, { checkEarly: true });
    expect(early.images[0]!.integrity).toMatchObject({ format: 'png', structural: true });
    expect(await early.images[0]!.integrity!.pictureData).toBe(true);
    const plain = await collectImages(body, fetchOpts);
    expect(plain.images[0]!.integrity).toBeUndefined();
  });
});

describe('startIntegrityCheckEarly', () => {
  it('starts nothing for a picture a passing create could not be: a bomb, a side over the limit, not PNG/JPEG', () => {
    expect(startIntegrityCheckEarly(pngBomb(60_000, 60_000))).toBeUndefined();
    expect(startIntegrityCheckEarly(pngBomb(8193, 100))).toBeUndefined();
    expect(startIntegrityCheckEarly(new TextEncoder().encode('GIF89a not a png'))).toBeUndefined();
  });

  it('reads the framing at once and inflates only whole framing', async () => {
    const cut = startIntegrityCheckEarly(pngImage(640, 360).subarray(0, 2000))!;
    expect(cut).toEqual({ format: 'png', structural: false, pictureData: undefined });
    const garbage = startIntegrityCheckEarly(pngWithGarbageIdat(640, 480))!;
    expect(garbage.structural).toBe(true);
    expect(await garbage.pictureData).toBe(false);
  });
});
