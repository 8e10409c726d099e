import type { ApiError, Budget } from '../../contract/schemas/studio-api.ts';
import type { Clock } from '../lib/clock.ts';
import { StudioError } from '../lib/studio-error.ts';

/**
 * BUDGET_UNITS_PER_DAY: the units the studio may spend in one of its local days, counted as the price
 * table counts them (the figure the composer showed) over today's tasks that were sent or are queued.
 * Queued tasks count at once: they will be sent, and a cap that let them pile up would only refuse them
 * later, after the creator had left.
 */
export interface DailyBudget {
  /** Today's figures; null when there is no cap. */
  state(): Budget | null;
  /**
   * Throws `budget_exceeded` (429, with the numbers) when `units` more would take today's spend over the
   * cap. Synchronous, so the check and the insert that follows it cannot be raced.
   */
  admit(units: number): void;
}

/** Units as people read them: whole when whole, else to two decimals ("212", "3.5"). */
const shown = (units: number) => String(Math.round(units * 100) / 100);

export function startOfLocalDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

function nextLocalMidnight(now: number): number {
  const d = new Date(startOfLocalDay(now));
  d.setDate(d.getDate() + 1);
  return d.getTime();
}

export class BudgetExceeded extends StudioError {
  constructor(readonly budget: Budget & { neededUnits: number }) {
    super(
      429,
      'budget_exceeded',
      `Over today's budget: today ${shown(budget.spentUnits)} of ${shown(budget.unitsPerDay)} units; this needs ${shown(budget.neededUnits)}. Nothing was queued or sent; the budget (BUDGET_UNITS_PER_DAY) starts again at midnight.`,
    );
  }

  override toBody(): ApiError {
    const body = super.toBody();
    return { error: { ...body.error, budget: this.budget } };
  }
}

export function createDailyBudget(opts: {
  unitsPerDay: number;
  /** Units of the tasks created since this time that were sent or are queued. */
  spentSince: (since: number) => number;
  clock: Clock;
}): DailyBudget {
  const state = (): Budget | null => {
    if (opts.unitsPerDay <= 0) return null;
    const now = opts.clock.now();
    const spentUnits = opts.spentSince(startOfLocalDay(now));
    return {
      unitsPerDay: opts.unitsPerDay,
      spentUnits,
      leftUnits: Math.max(0, opts.unitsPerDay - spentUnits),
      resetsAt: nextLocalMidnight(now),
    };
  };
  return {
    state,
    admit(units) {
      const budget = state();
      // Sums of decimal prices (0.1 + 0.2) must not refuse a create that exactly fits.
      if (budget && budget.spentUnits + units > budget.unitsPerDay + 1e-9)
        throw new BudgetExceeded({ ...budget, neededUnits: units });
    },
  };
}
