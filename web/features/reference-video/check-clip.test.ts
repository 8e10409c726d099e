import { afterEach, describe, expect, it, vi } from 'vitest';
import { syntheticVideo, topLevelBoxes } from '../../../contract/testing/test-videos.ts';
import { FORMAT_SNIFF_BYTES } from '../../../contract/video/container-header.ts';
import { checkClip } from './check-clip.ts';

afterEach(() => vi.restoreAllMocks());

describe('checkClip', () => {
  it('reads the facts from the header boxes of the File, never its frames', async () => {
    const bytes = syntheticVideo({
      width: 480,
      height: 360,
      durationMs: 4000,
      audio: true,
      mdatBytes: 200_000,
    });
    const file = new File([bytes as Uint8Array<ArrayBuffer>], 'a.mp4', { type: 'video/mp4' });
    const slices: [number, number][] = [];
    const slice = Blob.prototype.slice;
    vi.spyOn(Blob.prototype, 'slice').mockImplementation(function (this: Blob, a?: number, b?: number) {
      slices.push([a ?? 0, b ?? this.size]);
      return slice.call(this, a, b);
    });
    const { facts, violations } = await checkClip(file);
    expect(facts).toEqual({
      format: 'mp4',
      bytes: bytes.length,
      width: 480,
      height: 360,
      durationMs: 4000,
      hasAudio: true,
    });
    expect(violations).toEqual([]);
    // Inside mdat only its 8-byte header may be read (beyond the format sniff's first bytes).
    const mdat = topLevelBoxes(bytes).find((b) => b.type === 'mdat')!;
    const from = Math.max(FORMAT_SNIFF_BYTES, mdat.offset + mdat.header);
    const payloadRead = slices.filter(([a, b]) => a < mdat.end && b > from);
    expect(slices.length).toBeGreaterThan(2);
    expect(payloadRead).toEqual([]);
  });

  it('judges by the bytes, not the name: a MOV named .mp4 is a MOV', async () => {
    const file = new File([syntheticVideo({ format: 'mov' }) as Uint8Array<ArrayBuffer>], 'clip.mp4');
    expect((await checkClip(file)).facts.format).toBe('mov');
  });

  it('allows up to 30 s before an orientation is chosen, and no longer', async () => {
    const clip = (durationMs: number) =>
      new File([syntheticVideo({ width: 480, height: 360, durationMs }) as Uint8Array<ArrayBuffer>], 'x.mp4');
    expect((await checkClip(clip(29_000))).violations).toEqual([]);
    expect((await checkClip(clip(31_000))).violations.map((v) => v.message)).toEqual([
      'Reference video (video_url): 31 s is longer than the 30 s maximum',
    ]);
  });
});
