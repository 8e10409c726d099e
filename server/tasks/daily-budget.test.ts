import { describe, expect, it } from 'vitest';
import { manualClock } from '../lib/clock.ts';
import { BudgetExceeded, createDailyBudget, startOfLocalDay } from './daily-budget.ts';

describe('daily budget', () => {
  it('refuses what would go over the cap, with the numbers, and lets an exact fit through', async () => {
    const now = new Date(2026, 11, 3, 15, 0).getTime();
    const clock = manualClock(now);
    const since: number[] = [];
    const spending = {
      spentSince: async (t: number) => {
        since.push(t);
        return 212;
      },
    };
    const budget = createDailyBudget({ unitsPerDay: 250, spending, clock });
    // The day admit counts from is the studio's local day.
    expect(budget.countsFrom(now)).toBe(new Date(2026, 11, 3).getTime());
    let refusal: unknown;
    try {
      budget.admit(40, 212, now);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(BudgetExceeded);
    const e = refusal as BudgetExceeded;
    expect(e).toMatchObject({ status: 429, code: 'budget_exceeded' });
    expect(e.message).toContain('today 212 of 250 units; this needs 40');
    expect(e.toBody().error.budget).toMatchObject({
      unitsPerDay: 250,
      spentUnits: 212,
      leftUnits: 38,
      neededUnits: 40,
      resetsAt: new Date(2026, 11, 4).getTime(),
    });
    budget.admit(38, 212, now);
    // Decimal prices add up exactly to the cap: not refused by rounding.
    createDailyBudget({ unitsPerDay: 0.6, spending, clock }).admit(0.3, 0.1 + 0.2, now);
    expect(await budget.state()).toMatchObject({
      spentUnits: 212,
      resetsAt: new Date(2026, 11, 4).getTime(),
    });
    expect(since).toEqual([new Date(2026, 11, 3).getTime()]);
  });

  it('0 is no cap: no state, nothing to count, nothing refused', async () => {
    const spending = { spentSince: async () => 1e9 };
    const budget = createDailyBudget({ unitsPerDay: 0, spending, clock: manualClock() });
    expect(await budget.state()).toBeNull();
    expect(budget.countsFrom(Date.now())).toBeUndefined();
    budget.admit(1e6, 1e9, Date.now());
  });

  it('startOfLocalDay is local midnight', () => {
    const t = new Date(2026, 0, 1, 23, 59).getTime();
    expect(startOfLocalDay(t)).toBe(new Date(2026, 0, 1).getTime());
  });
});
