import { describe, expect, it } from 'vitest';
import { manualClock } from '../lib/clock.ts';
import { BudgetExceeded, createDailyBudget, startOfLocalDay } from './daily-budget.ts';

describe('daily budget', () => {
  it('refuses what would go over the cap, with the numbers, and lets an exact fit through', async () => {
    const clock = manualClock(new Date(2026, 11, 3, 15, 0).getTime());
    let spent = 212;
    const since: number[] = [];
    const spending = {
      spentSince: async (t: number) => {
        since.push(t);
        return spent;
      },
    };
    const budget = createDailyBudget({ unitsPerDay: 250, spending, clock });
    let refusal: unknown;
    try {
      await budget.admit(40, spending);
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
    });
    await budget.admit(38, spending);
    // Decimal prices add up exactly to the cap: not refused by rounding.
    spent = 0.1 + 0.2;
    await createDailyBudget({ unitsPerDay: 0.6, spending, clock }).admit(0.3, spending);
    // The day is the studio's local day.
    expect(since[0]).toBe(new Date(2026, 11, 3).getTime());
    expect((await budget.state())?.resetsAt).toBe(new Date(2026, 11, 4).getTime());
  });

  it('0 is no cap: no state, nothing refused', async () => {
    const spending = { spentSince: async () => 1e9 };
    const budget = createDailyBudget({ unitsPerDay: 0, spending, clock: manualClock() });
    expect(await budget.state()).toBeNull();
    await budget.admit(1e6, spending);
  });

  it('startOfLocalDay is local midnight', () => {
    const t = new Date(2026, 0, 1, 23, 59).getTime();
    expect(startOfLocalDay(t)).toBe(new Date(2026, 0, 1).getTime());
  });
});
