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
