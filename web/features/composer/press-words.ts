import type { Budget, QueueState } from '../../../contract/schemas/studio-api.ts';
import { unitsWithMoney, unitsWords } from '../../../contract/words/setup-words.ts';

/** Takes offered beside Generate: identical tasks of one setup in one press (the batch route takes up to 8). */
export const TAKES = [1, 2, 3, 4] as const;

/**
 * The Generate button's words. One take is exactly "Generate" (benchmarks and specs find the button by
 * that name); more say what the press makes and costs: "Generate ×4 · 14 units".
 */
export function generateLabel(takes: number, unitsEach?: number): string {
  if (takes <= 1) return 'Generate';
  return unitsEach === undefined
    ? `Generate ×${takes}`
    : `Generate ×${takes} · ${unitsWords(unitsEach * takes)}`;
}

/** The bar's cost line for a press of several takes: the total, then how many ("4.5 units (≈ $0.63) for 3 takes"). */
export function pressCostWords(
  cost: string,
  takes: number,
  unitsEach: number | undefined,
  usdPerUnit: number,
) {
  if (takes <= 1 || unitsEach === undefined) return cost;
  return `${unitsWithMoney(unitsEach * takes, usdPerUnit)} for ${takes} takes`;
}

/** "2 running · 3 queued", or nothing when the studio has no task in flight. */
export function queueCountWords(q: Pick<QueueState, 'running' | 'queued'> | undefined): string | undefined {
  if (!q) return undefined;
  const parts = [q.running > 0 && `${q.running} running`, q.queued > 0 && `${q.queued} queued`].filter(
    (p): p is string => !!p,
  );
  return parts.length ? parts.join(' · ') : undefined;
}

const shown = (units: number) => String(Math.round(units * 100) / 100);

/** "118 of 250 units left today", when the studio has a daily budget. */
export function budgetLeftWords(budget: Budget | null | undefined): string | undefined {
  if (!budget) return undefined;
  return `${shown(budget.leftUnits)} of ${unitsWords(budget.unitsPerDay)} left today`;
}

/**
 * A press that would take more than today's budget has left: said beside the figure before the press
 * (the studio refuses it anyway, with its numbers, and nothing is queued).
 */
export function budgetShortWords(budget: Budget | null | undefined, needed: number | undefined) {
  if (!budget || needed === undefined || needed <= budget.leftUnits + 1e-9) return undefined;
  return `this press needs ${unitsWords(needed)}`;
}
