import type { Violation } from '../../../contract/schemas/studio-api.ts';

export interface ReasonsSummary {
  /** Shown in the action bar as it is. */
  first: Violation;
  /** Behind "and N more". */
  rest: Violation[];
  /** "and 2 more"; empty when there is nothing behind it. */
  more: string;
}

export const reasonKey = (v: Violation) => `${v.field}:${v.rule}:${v.message}`;

/**
 * Why Generate is off, compact enough for a bar: the first reason in full, the others counted. Two rules
 * can word the same problem identically (the contract and a panel's own check); the creator reads it once.
 */
export function summarizeReasons(violations: readonly Violation[]): ReasonsSummary | undefined {
  const seen = new Set<string>();
  const unique: Violation[] = [];
  for (const v of violations) {
    if (seen.has(v.message)) continue;
    seen.add(v.message);
    unique.push(v);
  }
  const [first, ...rest] = unique;
  if (!first) return undefined;
  return { first, rest, more: rest.length ? `and ${rest.length} more` : '' };
}
