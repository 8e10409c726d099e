import { describe, expect, it } from 'vitest';
import { MODELS } from '../../../contract/capabilities/matrix.ts';
import { makeTask } from '../../testing/task-fixture.ts';
import { PROGRESS_CAP, taskProgress } from './progress.ts';

const start = 1_760_000_000_000;
const typical = MODELS['kling-v1'].typicalSeconds * 1000; // 180 s for kling-v1
const at = (status: 'submitted' | 'processing', elapsedMs: number) =>
  taskProgress(makeTask({ status, createdAt: start }), start + elapsedMs);

describe('taskProgress', () => {
  it('measures elapsed time against the model’s typical time', () => {
    expect(at('processing', typical / 2)).toEqual({
      phase: 'running',
      elapsedMs: typical / 2,
      typicalSeconds: 180,
      fraction: 0.5,
    });
    expect(at('submitted', 0).phase).toBe('queued');
  });

  it('never fills the bar before the task is done', () => {
    for (const share of [0.5, 0.89, 0.9, 0.95, 0.999, 1]) {
      const fraction = at('processing', typical * share).fraction;
      expect(fraction).not.toBeNull();
      expect(fraction).toBeLessThanOrEqual(PROGRESS_CAP);
    }
  });

  it('past the typical time it admits it has no position (overdue, no fraction)', () => {
    expect(at('processing', typical + 1)).toMatchObject({ phase: 'overdue', fraction: null });
    expect(at('processing', typical * 5)).toMatchObject({ phase: 'overdue', fraction: null });
  });

  it('uses each model’s own typical time', () => {
    const turbo = taskProgress(
      makeTask({ status: 'processing', model: 'kling-v2-5-turbo', createdAt: start }),
      start + 75_000,
    );
    expect(turbo).toMatchObject({ typicalSeconds: 150, fraction: 0.5 });
  });

  it('clamps a browser clock that lags the server to zero elapsed', () => {
    expect(at('submitted', -5000).elapsedMs).toBe(0);
  });

  it('reports how long a finished task took, from creation to finish', () => {
    const done = makeTask({
      status: 'succeed',
      createdAt: start,
      finishedAt: start + 61_000,
      updatedAt: start + 62_000,
    });
    expect(taskProgress(done, start + 999_999)).toEqual({
      phase: 'done',
      elapsedMs: 61_000,
      typicalSeconds: 180,
      fraction: null,
    });
  });

  it('counts Kling’s time from when the task was sent, and none while it waits in the studio’s queue', () => {
    const sent = taskProgress(
      makeTask({ status: 'processing', createdAt: start, sentAt: start + 60_000 }),
      start + 60_000 + typical / 2,
    );
    expect(sent).toMatchObject({ phase: 'running', elapsedMs: typical / 2, fraction: 0.5 });
    const waiting = taskProgress(
      makeTask({ status: 'queued', createdAt: start, sentAt: null }),
      start + 5000,
    );
    expect(waiting).toEqual({ phase: 'waiting', elapsedMs: 5000, typicalSeconds: 180, fraction: 0 });
  });
});
