import type { MotionControlMode, MotionControlModel } from '../../../contract/capabilities/motion-control.ts';
import {
  billedSeconds,
  DEFAULT_USD_PER_UNIT,
  MOTION_CONTROL_UNITS_PER_SECOND,
  motionControlUnits,
} from '../../../contract/pricing/prices.ts';
import { unitsWithMoney } from '../../../contract/words/setup-words.ts';

/**
 * What a motion-control task will cost, worked out where the creator can check it: the result lasts as
 * long as the reference, billed by the whole second (contract billedSeconds), at the model's and mode's
 * rate: "4 s × 0.5 units/s = 2 units (≈ $0.28)". A clip a little over a whole second (a camera's 4.02 s)
 * says so, or "5 s" would seem to come from nowhere: "4.023 s, billed as 5 s × 0.5 units/s = …".
 */
export function motionControlCostLine(
  model: MotionControlModel,
  mode: MotionControlMode,
  durationMs: number,
  usdPerUnit = DEFAULT_USD_PER_UNIT,
): string {
  const rate = MOTION_CONTROL_UNITS_PER_SECOND[model][mode];
  const units = motionControlUnits(model, mode, durationMs);
  const billed = billedSeconds(durationMs);
  const exact = Number((durationMs / 1000).toFixed(3));
  const length = exact === billed ? `${billed} s` : `${exact} s, billed as ${billed} s`;
  return `${length} × ${rate} units/s = ${unitsWithMoney(units, usdPerUnit)}`;
}

/** Before a clip is added: the rate alone. */
export function motionControlRateLine(model: MotionControlModel, mode: MotionControlMode): string {
  return `${MOTION_CONTROL_UNITS_PER_SECOND[model][mode]} units per second of the reference video`;
}
