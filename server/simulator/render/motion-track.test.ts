import { describe, expect, it } from 'vitest';
import { followPoses, type GreyClip, type Region, SCALE_LIMITS, trackMotion } from './motion-track.ts';

const size = { width: 96, height: 72 };

/** A bright square on a dark clip; `at(frame)` gives its top-left corner and side in whole pixels. */
function squareClip(frames: number, at: (frame: number) => { x: number; y: number; side: number }): GreyClip {
  const area = size.width * size.height;
  const pixels = new Uint8Array(frames * area).fill(32);
  for (let f = 0; f < frames; f++) {
    const { x, y, side } = at(f);
    for (let row = y; row < y + side; row++)
      pixels.fill(235, f * area + row * size.width + x, f * area + row * size.width + x + side);
  }
  return { size, frames, pixels };
}

describe('trackMotion', () => {
  it('follows a square moving right one pixel a frame, centre and size', async () => {
    const track = (await trackMotion(squareClip(40, (f) => ({ x: 10 + f, y: 30, side: 12 }))))!;
    expect(track).toHaveLength(40);
    // The square covers columns 10 + f … 21 + f: its centre is at x = 16 + f, y = 36.
    for (const [f, region] of track.entries()) expect(Math.abs(region.x - (16 + f))).toBeLessThanOrEqual(1.5);
    for (let f = 1; f < 40; f++) expect(track[f]!.x).toBeGreaterThan(track[f - 1]!.x);
    for (const region of track) expect(region.y).toBeCloseTo(36, 0);
    // The distance travelled inside the comparison window is not mistaken for growth.
    for (const region of track) {
      expect(region.width).toBeGreaterThan(11);
      expect(region.width).toBeLessThan(14);
      expect(region.height).toBeCloseTo(12, 0);
    }
  });

  it('sees a square that grows in place grow, by about the ratio of its sides', async () => {
    // Side 10 → 30 about the centre (48, 36).
    const track = (await trackMotion(
      squareClip(41, (f) => {
        const side = 10 + 2 * Math.floor(f / 4);
        return { x: 48 - side / 2, y: 36 - side / 2, side };
      }),
    ))!;
    const growth = track[40]!.width / track[0]!.width;
    expect(growth).toBeGreaterThan(2.3);
    expect(growth).toBeLessThan(3.3);
    expect(track[40]!.height / track[0]!.height).toBeCloseTo(growth, 1);
    expect(track[40]!.x - track[0]!.x).toBeCloseTo(0, 0);
  });

  it('finds no motion in a still clip, nor in a one-frame clip', async () => {
    expect(await trackMotion(squareClip(20, () => ({ x: 30, y: 30, side: 10 })))).toBeNull();
    expect(await trackMotion(squareClip(1, () => ({ x: 30, y: 30, side: 10 })))).toBeNull();
  });

  it('holds a paused subject where it stopped', async () => {
    const track = (await trackMotion(squareClip(40, (f) => ({ x: 10 + Math.min(f, 20), y: 30, side: 12 }))))!;
    expect(track[39]!.x).toBeCloseTo(track[30]!.x, 5);
    expect(track[39]!.x).toBeGreaterThan(track[0]!.x + 15);
  });

  it('stops when aborted', async () => {
    const clip = squareClip(40, (f) => ({ x: 10 + f, y: 30, side: 12 }));
    await expect(trackMotion(clip, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('followPoses', () => {
  const region = (x: number, y: number, width: number, height = width): Region => ({ x, y, width, height });

  it('starts on the untouched picture and maps clip travel into the output with one scale', () => {
    // A 96x72 clip fitted inside a 720x1280 portrait output: 7.5 output pixels a clip pixel.
    const poses = followPoses(
      [region(20, 30, 10), region(40, 20, 10)],
      size,
      { width: 720, height: 1280 },
      3,
    );
    expect(poses[0]).toEqual({ scale: 1, rotationRad: 0, shiftX: 0, shiftY: 0 });
    expect(poses[1]).toEqual({ scale: 1, rotationRad: 0, shiftX: 150, shiftY: -75 });
    // Past the track's end the last pose holds.
    expect(poses[2]).toEqual(poses[1]);
  });

  it('scales by the growth of the extent, within the limits', () => {
    const output = { width: 960, height: 720 };
    const [, grown, huge, tiny] = followPoses(
      [region(48, 36, 10), region(48, 36, 20, 5), region(48, 36, 100), region(48, 36, 1)],
      size,
      output,
      4,
    );
    expect(grown!.scale).toBeCloseTo(1, 5);
    expect(huge!.scale).toBe(SCALE_LIMITS.max);
    expect(tiny!.scale).toBe(SCALE_LIMITS.min);
  });
});
