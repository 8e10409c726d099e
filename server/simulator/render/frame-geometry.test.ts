import { describe, expect, it } from 'vitest';
import { frameCount, frameProgress, outputSize } from './frame-geometry.ts';

describe('outputSize', () => {
  it('gives 720p for std and 1080p for pro on a 16:9 image', () => {
    expect(outputSize({ width: 640, height: 360 }, 'std')).toEqual({ width: 1280, height: 720 });
    expect(outputSize({ width: 3840, height: 2160 }, 'pro')).toEqual({ width: 1920, height: 1080 });
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
