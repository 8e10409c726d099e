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
  state(): Promise<Budget | null>;
  /**
   * Where `admit` counts today's spending from at `now` (the local day's start); undefined when there is
   * no cap: nothing to count, and a create need not wait for other creates.
   */
  countsFrom(now: number): number | undefined;
  /**
   * Throws `budget_exceeded` (429, with the numbers) when `units` more would take today's spend over the
   * cap. `spentUnits` is the store's sum since `countsFrom(now)`, read in the transaction the insert runs
   * in, so the two cannot be raced.
   */
  admit(units: number, spentUnits: number, now: number): void;
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

/** Units of the tasks created since a time that were sent or are queued (the store): what `state` sums. */
export interface Spending {
  spentSince(since: number): Promise<number>;
}

export function createDailyBudget(opts: {
  unitsPerDay: number;
  spending: Spending;
  clock: Clock;
}): DailyBudget {
  const capped = opts.unitsPerDay > 0;
  const figures = (spentUnits: number, now: number): Budget => ({
    unitsPerDay: opts.unitsPerDay,
    spentUnits,
    leftUnits: Math.max(0, opts.unitsPerDay - spentUnits),
    resetsAt: nextLocalMidnight(now),
  });
  return {
    async state() {
      if (!capped) return null;
      const now = opts.clock.now();
      return figures(await opts.spending.spentSince(startOfLocalDay(now)), now);
    },
    countsFrom: (now) => (capped ? startOfLocalDay(now) : undefined),
    admit(units, spentUnits, now) {
      if (!capped) return;
      const budget = figures(spentUnits, now);
      // Sums of decimal prices (0.1 + 0.2) must not refuse a create that exactly fits.
      if (budget.spentUnits + units > budget.unitsPerDay + 1e-9)
        throw new BudgetExceeded({ ...budget, neededUnits: units });
    },
  };
}
