/** One line of the benchmark table: a measured value, its same-run baseline, and the goal it is held to. */
export interface RowResult {
  row: string;
  /** What this line measures, e.g. "p50 POST /api/tasks, c=1". */
  metric: string;
  value: number;
  baseline: number;
  unit: string;
  /** value / baseline. */
  ratio: number;
  /** e.g. "≤ 1.15×"; "report" when the row has no goal yet. */
  goal: string;
  pass: boolean | null;
  /** One line: how it was measured. */
  how: string;
  samples?: unknown;
}

export function ratioRow(
  r: Omit<RowResult, 'ratio' | 'pass' | 'goal'> & { goal: { max?: number; min?: number } | null },
): RowResult {
  const ratio = r.value / r.baseline;
  const { goal, ...rest } = r;
  const pass =
    goal === null
      ? null
      : (goal.max === undefined || ratio <= goal.max) && (goal.min === undefined || ratio >= goal.min);
  const goalText = goal === null ? 'report' : goal.max !== undefined ? `≤ ${goal.max}×` : `≥ ${goal.min}×`;
  return { ...rest, ratio, goal: goalText, pass };
}

/**
 * A line held to an absolute limit (a p50 of at most 5 ms, say) whose ratio is still against a baseline
 * from the same run: the goal is the limit, and the ratio shows how far from the baseline the value moved.
 */
export function limitRow(
  r: Omit<RowResult, 'ratio' | 'pass' | 'goal'> & {
    limit: { max?: number; min?: number };
    /** How the goal is written when the unit alone reads badly ("≤ 64 KB" for 65,536 B). */
    goalText?: string;
  },
): RowResult {
  const { limit, goalText, ...rest } = r;
  const pass =
    (limit.max === undefined || r.value <= limit.max) && (limit.min === undefined || r.value >= limit.min);
  const goal =
    goalText ?? (limit.max !== undefined ? `≤ ${limit.max} ${r.unit}` : `≥ ${limit.min} ${r.unit}`);
  return { ...rest, ratio: r.value / r.baseline, goal, pass };
}
