import { describe, expect, it } from 'vitest';
import { image2videoCostLine } from './image2video-cost.ts';

describe('image2videoCostLine', () => {
  it('kling-v3 pro 12 s with sound: the basis, the units and the money at the default rate', () => {
    expect(image2videoCostLine({ model: 'kling-v3', mode: 'pro', duration: '12', sound: true })).toBe(
      '12 s × 1.2 units/s with sound = 14.4 units (≈ $2.02)',
    );
  });

  it('moves with every price setting: model, mode, duration, sound', () => {
    const base = { model: 'kling-v3', mode: 'std', duration: '5' } as const;
    expect(image2videoCostLine(base)).toBe('5 s × 0.6 units/s = 3 units (≈ $0.42)');
    expect(image2videoCostLine({ ...base, duration: '12' })).toBe('12 s × 0.6 units/s = 7.2 units (≈ $1.01)');
    expect(image2videoCostLine({ ...base, mode: '4k', duration: '12' })).toBe(
      '12 s × 3 units/s = 36 units (≈ $5.04)',
    );
    expect(image2videoCostLine({ ...base, sound: true })).toBe(
      '5 s × 0.9 units/s with sound = 4.5 units (≈ $0.63)',
    );
    expect(image2videoCostLine({ ...base, model: 'kling-v2-6' })).toBe(
      '5 s × 0.3 units/s = 1.5 units (≈ $0.21)',
    );
  });

  it('voices on kling-v2-6 pro bill at the with-voice rate', () => {
    expect(
      image2videoCostLine({ model: 'kling-v2-6', mode: 'pro', duration: '10', sound: true, voices: 2 }),
    ).toBe('10 s with voices at 6 units per 5 s = 12 units (≈ $1.68)');
  });

  it('sound on a model with no sound price bills silent, and says nothing of sound', () => {
    expect(image2videoCostLine({ model: 'kling-v1', mode: 'std', duration: '10', sound: true })).toBe(
      '10 s × 0.2 units/s = 2 units (≈ $0.28)',
    );
  });

  it('money follows the served rate', () => {
    expect(image2videoCostLine({ model: 'kling-v3', mode: 'pro', duration: '10' }, 0.2)).toBe(
      '10 s × 0.8 units/s = 8 units (≈ $1.60)',
    );
  });

  it('a master model (no mode) at its legacy price', () => {
    expect(image2videoCostLine({ model: 'kling-v2-master', mode: undefined, duration: '5' })).toBe(
      '5 s × 2 units/s = 10 units (≈ $1.40)',
    );
  });
});
