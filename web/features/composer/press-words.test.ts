import { describe, expect, it } from 'vitest';
import {
  budgetLeftWords,
  budgetShortWords,
  generateLabel,
  pressCostWords,
  queueCountWords,
} from './press-words.ts';

const budget = (spentUnits: number, unitsPerDay = 250) => ({
  unitsPerDay,
  spentUnits,
  leftUnits: Math.max(0, unitsPerDay - spentUnits),
  resetsAt: 0,
});

describe('the Generate button words', () => {
  it('one take is exactly "Generate", whatever it costs', () => {
    expect(generateLabel(1, 1.5)).toBe('Generate');
    expect(generateLabel(1)).toBe('Generate');
  });

  it('several takes say how many and the total: "Generate ×4 · 14 units"', () => {
    expect(generateLabel(4, 3.5)).toBe('Generate ×4 · 14 units');
    expect(generateLabel(3, 1.5)).toBe('Generate ×3 · 4.5 units');
    // Decimal prices do not leak float noise (0.1 × 3).
    expect(generateLabel(3, 0.1)).toBe('Generate ×3 · 0.3 units');
    expect(generateLabel(2)).toBe('Generate ×2');
  });

  it('the cost line follows the takes, with money', () => {
    expect(pressCostWords('1.5 units (≈ $0.21)', 1, 1.5, 0.14)).toBe('1.5 units (≈ $0.21)');
    expect(pressCostWords('1.5 units (≈ $0.21)', 3, 1.5, 0.14)).toBe('4.5 units (≈ $0.63) for 3 takes');
    expect(pressCostWords('no price known for this setup', 3, undefined, 0.14)).toBe(
      'no price known for this setup',
    );
  });
});

describe('the queue and budget words', () => {
  it('counts only what is there', () => {
    expect(queueCountWords({ running: 2, queued: 3 })).toBe('2 running · 3 queued');
    expect(queueCountWords({ running: 1, queued: 0 })).toBe('1 running');
    expect(queueCountWords({ running: 0, queued: 4 })).toBe('4 queued');
    expect(queueCountWords({ running: 0, queued: 0 })).toBeUndefined();
    expect(queueCountWords(undefined)).toBeUndefined();
  });

  it('what is left today, only with a budget', () => {
    expect(budgetLeftWords(budget(132))).toBe('118 of 250 units left today');
    expect(budgetLeftWords(budget(0.25, 1))).toBe('0.75 of 1 unit left today');
    expect(budgetLeftWords(null)).toBeUndefined();
  });

  it('a press over what is left says what it needs; one that fits exactly says nothing', () => {
    expect(budgetShortWords(budget(240), 14)).toBe('this press needs 14 units');
    expect(budgetShortWords(budget(236), 14)).toBeUndefined();
    expect(budgetShortWords(budget(0.7, 1), 0.1 + 0.2)).toBeUndefined();
    expect(budgetShortWords(null, 14)).toBeUndefined();
    expect(budgetShortWords(budget(240), undefined)).toBeUndefined();
  });
});
