import { describe, expect, it } from 'vitest';
import { secondsWords } from '../capabilities/matrix.ts';
import { setupWords, unitsChangeWords, unitsWithMoney, unitsWords } from './setup-words.ts';

describe('creator words', () => {
  it('names a setup by model label, mode word and seconds', () => {
    expect(setupWords({ model: 'kling-v2-6', mode: 'pro', duration: '5' })).toBe('Kling 2.6 · Pro · 5 s');
    expect(setupWords({ model: 'kling-v1', mode: 'std', duration: 10 })).toBe('Kling 1.0 · Standard · 10 s');
    expect(setupWords({ model: 'kling-v3', mode: '4k', duration: '15' })).toBe('Kling 3.0 · 4K · 15 s');
    expect(setupWords({ model: 'kling-v2-1-master', duration: '5' })).toBe('Kling 2.1 Master · 5 s');
  });
  it('says unit for one and units otherwise, rounded to cents of a unit', () => {
    expect(unitsWords(1)).toBe('1 unit');
    expect(unitsWords(3.5)).toBe('3.5 units');
    expect(unitsWords(0.1 + 0.2)).toBe('0.3 units');
  });
  it('adds the approximate money at the given rate', () => {
    expect(unitsWithMoney(3.5, 0.14)).toBe('3.5 units (≈ $0.49)');
    expect(unitsWithMoney(1, 0.2)).toBe('1 unit (≈ $0.20)');
  });
  it('says what a change costs, signed, with the money', () => {
    expect(unitsChangeWords(1, 0.14)).toBe('+1 unit, ≈ $0.14');
    expect(unitsChangeWords(2.5, 0.14)).toBe('+2.5 units, ≈ $0.35');
    expect(unitsChangeWords(-4.2, 0.14)).toBe('−4.2 units, ≈ −$0.59');
    expect(unitsChangeWords(0.1 + 0.2 - 0.3)).toBe('same price');
  });
  it('says lengths as a creator would', () => {
    expect(secondsWords(['5'])).toBe('5 s');
    expect(secondsWords(['10', '5'])).toBe('5 or 10 s');
    expect(secondsWords(['3', '4', '5', '6'])).toBe('3–6 s');
    expect(secondsWords(['3', '5', '7'])).toBe('3, 5 or 7 s');
  });
});
