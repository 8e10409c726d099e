import { describe, expect, it } from 'vitest';
import { MODELS, withRetiredModels } from '../../../contract/capabilities/matrix.ts';
import { TASK_STATUSES } from '../../../contract/schemas/kling-task.ts';
import { makeTask } from '../../testing/task-fixture.ts';
import { costLine, lengthLine, lifecycleBadge, settingsLine, statusLabel } from './task-labels.ts';

describe('statusLabel', () => {
  it.each([
    ['submitted', 'Submitted'],
    ['processing', 'Processing'],
    // Kling's enum says "succeed"; people read "Succeeded".
    ['succeed', 'Succeeded'],
    ['failed', 'Failed'],
  ] as const)('%s → %s', (status, label) => {
    expect(statusLabel(status)).toBe(label);
  });

  it('covers every status the contract knows', () => {
    expect(TASK_STATUSES.map(statusLabel).every(Boolean)).toBe(true);
  });
});

describe('settingsLine and lengthLine', () => {
  it('gives a storyboard its shots, and a single shot only its length', () => {
    expect(lengthLine({ duration: '12', shots: 3 })).toBe('12 s · 3 shots');
    expect(lengthLine({ duration: '4', shots: 1 })).toBe('4 s · 1 shot');
    expect(lengthLine({ duration: '5', shots: null })).toBe('5 s');
  });

  it('names the model, the mode (4k included) and the length', () => {
    expect(settingsLine(makeTask({ model: 'kling-v3', mode: '4k', duration: '12', shots: 3 }))).toBe(
      'Kling 3.0 · 4K · 12 s · 3 shots',
    );
    expect(settingsLine(makeTask({ model: 'kling-v2-6', mode: 'pro', duration: '5' }))).toBe(
      'Kling 2.6 · Pro · 5 s',
    );
    expect(settingsLine(makeTask({ model: 'kling-v2-master', mode: null, duration: '10' }))).toBe(
      'Kling 2.0 Master · 10 s',
    );
  });
});

describe('costLine', () => {
  it('says what Kling deducted once known, else the price list figure, in units (never "1 units")', () => {
    expect(costLine(makeTask({ units: '1', price: { units: 3.5, basis: '' } }))).toBe('1 unit');
    expect(costLine(makeTask({ units: null, price: { units: 3.5, basis: '' } }))).toBe('3.5 units');
    expect(costLine(makeTask({ units: null, price: null }))).toBeNull();
  });
});

describe('lifecycleBadge', () => {
  it("Legacy for the models reported retired, Retired for the operator's, none for current ones", () => {
    expect(lifecycleBadge(MODELS, 'kling-v1-6')).toEqual({
      text: 'Legacy',
      note: 'reported retired on 2026-09-15; may fail on your account',
    });
    expect(lifecycleBadge(MODELS, 'kling-v3')).toBeUndefined();
    expect(lifecycleBadge(withRetiredModels(MODELS, ['kling-v2-6']), 'kling-v2-6')).toEqual({
      text: 'Retired',
      note: 'Kling no longer offers kling-v2-6; pick another',
    });
  });
});
