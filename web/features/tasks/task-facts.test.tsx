import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithQuery } from '../../testing/render.tsx';
import { makeTask } from '../../testing/task-fixture.ts';
import { TaskFacts } from './task-facts.tsx';

afterEach(() => vi.unstubAllGlobals());

describe('TaskFacts', () => {
  it('shows the price list figure and the units Kling deducted, each with money at the served rate', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}', { status: 500 })),
    );
    renderWithQuery(
      <TaskFacts
        task={makeTask({
          model: 'kling-v3',
          mode: 'pro',
          duration: '12',
          shots: 3,
          status: 'succeed',
          units: '14.4',
          price: { units: 14.4, basis: '12 s × 1.2 units/s with sound' },
        })}
      />,
    );
    // The served map could not be read: the bundled rate (1 unit ≈ $0.14) stands in.
    expect(screen.getByText('12 s × 1.2 units/s with sound = 14.4 units (≈ $2.02)')).toBeTruthy();
    expect(screen.getByText('14.4 (≈ $2.02)')).toBeTruthy();
  });

  it('says when a task has no price and no deduction yet', () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}', { status: 500 })),
    );
    renderWithQuery(<TaskFacts task={makeTask({ price: null, units: null, status: 'processing' })} />);
    expect(screen.getByText('not priced')).toBeTruthy();
    expect(screen.getByText('known when finished')).toBeTruthy();
  });
});
