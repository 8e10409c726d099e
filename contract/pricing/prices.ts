/**
 * Kling's 2026 prices, as data (kling-2026.md §3, the official pricing page, K-PRICE). The composer shows
 * them before Generate, the simulator bills them as `final_unit_deduction`, the task detail repeats them.
 */

import type { Mode } from '../capabilities/matrix.ts';
import type { MotionControlModel } from '../capabilities/motion-control.ts';

export const PRICE_SOURCE = { name: 'Kling video pricing page (K-PRICE)', asOf: '2026-12-01' } as const;

/** What one unit costs, by the same table ("1 unit ≈ US$0.14"); the studio's default money rate. */
export const DEFAULT_USD_PER_UNIT = 0.14;

/** Motion control, units per second of output, by model and mode (720p std, 1080p pro). */
export const MOTION_CONTROL_UNITS_PER_SECOND = {
  'kling-v2-6': { std: 0.5, pro: 0.8 },
  'kling-v3': { std: 0.9, pro: 1.2 },
} as const satisfies Record<MotionControlModel, Record<Mode, number>>;

/**
 * The seconds a motion-control task is billed for: the output lasts as long as the reference, and
 * billing follows the output. Kling does not say how it rounds; whole seconds, rounded up, is the
 * assumption (never an under-estimate before Generate).
 */
export function billedSeconds(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs / 1000 - 1e-9));
}

/** Units as Kling writes them: at most two decimals, no float noise (0.8 × 7 = 5.6, not 5.6000000001). */
export const roundUnits = (units: number) => Math.round(units * 100) / 100;

export function motionControlUnits(model: MotionControlModel, mode: Mode, durationMs: number): number {
  return roundUnits(MOTION_CONTROL_UNITS_PER_SECOND[model][mode] * billedSeconds(durationMs));
}

export function unitsToUsd(units: number, usdPerUnit = DEFAULT_USD_PER_UNIT): number {
  return Math.round(units * usdPerUnit * 100) / 100;
}
