import { describe, expect, it } from 'vitest';
import { frameCount, frameProgress, outputSize, shotFrameRanges } from './frame-geometry.ts';

describe('outputSize', () => {
  it('gives 720p for std and 1080p for pro on a 16:9 image', () => {
    expect(outputSize({ width: 640, height: 360 }, 'std')).toEqual({ width: 1280, height: 720 });
    expect(outputSize({ width: 3840, height: 2160 }, 'pro')).toEqual({ width: 1920, height: 1080 });
  });

  it('gives 2160p for kling-v3’s 4k, and kling-v3’s 16:9 std and pro sizes', () => {
    expect(outputSize({ width: 1920, height: 1080 }, '4k')).toEqual({ width: 3840, height: 2160 });
    expect(outputSize({ width: 1080, height: 1920 }, '4k')).toEqual({ width: 2160, height: 3840 });
    expect(outputSize({ width: 1024, height: 576 }, 'std')).toEqual({ width: 1280, height: 720 });
    expect(outputSize({ width: 1024, height: 576 }, 'pro')).toEqual({ width: 1920, height: 1080 });
  });

  it('sets the short side on portrait images', () => {
    expect(outputSize({ width: 1080, height: 1920 }, 'std')).toEqual({ width: 720, height: 1280 });
  });

  it('keeps the aspect ratio with even sides', () => {
    const size = outputSize({ width: 1001, height: 701 }, 'std');
    expect(size.height).toBe(720);
    expect(size.width % 2).toBe(0);
    expect(Math.abs(size.width / size.height - 1001 / 701)).toBeLessThan(2 / 720);
    const extreme = outputSize({ width: 300, height: 750 }, 'pro');
    expect(extreme).toEqual({ width: 1080, height: 2700 });
  });

  it('refuses empty images', () => {
    expect(() => outputSize({ width: 0, height: 10 }, 'std')).toThrow(RangeError);
  });
});

describe('frameCount', () => {
  it('is exactly fps × duration', () => {
    expect(frameCount(30, 5)).toBe(150);
    expect(frameCount(24, 10)).toBe(240);
    expect(frameCount(30, 1)).toBe(30);
  });

  it('covers every kling-v3 length, 3 to 15 whole seconds at 24 fps', () => {
    for (let seconds = 3; seconds <= 15; seconds++) expect(frameCount(24, seconds)).toBe(24 * seconds);
    expect(frameCount(24, 15)).toBe(360);
  });

  it('refuses non-positive inputs', () => {
    expect(() => frameCount(0, 5)).toThrow(RangeError);
    expect(() => frameCount(30, -1)).toThrow(RangeError);
    expect(() => frameCount(30, Number.NaN)).toThrow(RangeError);
  });
});

describe('frameProgress', () => {
  it('runs from 0 on the first frame to 1 on the last', () => {
    expect(frameProgress(0, 150)).toBe(0);
    expect(frameProgress(149, 150)).toBe(1);
    expect(frameProgress(1, 3)).toBe(0.5);
    expect(frameProgress(0, 1)).toBe(0);
  });
});

describe('shotFrameRanges', () => {
  it('tiles the video with the shots, boundaries on exact frames', () => {
    expect(shotFrameRanges(24, [4, 5, 3])).toEqual([
      { from: 0, to: 96 },
      { from: 96, to: 216 },
      { from: 216, to: 288 },
    ]);
    expect(shotFrameRanges(24, [15])).toEqual([{ from: 0, to: 360 }]);
  });

  it('rounds boundaries, not lengths, so fractional shots still add up', () => {
    const ranges = shotFrameRanges(30, [1.01, 1.01, 0.98]);
    expect(ranges[0]!.from).toBe(0);
    expect(ranges[ranges.length - 1]!.to).toBe(90);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from).toBe(ranges[i - 1]!.to);
  });

  it('refuses no shots, empty shots and shots shorter than a frame', () => {
    expect(() => shotFrameRanges(24, [])).toThrow(RangeError);
    expect(() => shotFrameRanges(24, [3, 0])).toThrow(/shot 2/);
    expect(() => shotFrameRanges(24, [3, 0.01])).toThrow(/shorter than one frame/);
  });
});
