import { describe, expect, it } from 'vitest';
import { TASK_STATUSES } from '../../../contract/schemas/kling-task.ts';
import { statusLabel } from './task-labels.ts';

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
