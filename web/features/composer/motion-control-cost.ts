import type { Mode } from '../../../contract/capabilities/matrix.ts';
import type { MotionControlModel } from '../../../contract/capabilities/motion-control.ts';
import {
  billedSeconds,
  MOTION_CONTROL_UNITS_PER_SECOND,
  motionControlUnits,
  unitsToUsd,
} from '../../../contract/pricing/prices.ts';

/**
 * What a motion-control task will cost, worked out where the creator can check it: the result lasts as
 * long as the reference, billed by the whole second (contract billedSeconds), at the model's and mode's
 * rate: "4 s × 0.5 units/s = 2 units (≈ $0.28)".
 */
export function motionControlCostLine(model: MotionControlModel, mode: Mode, durationMs: number): string {
  const rate = MOTION_CONTROL_UNITS_PER_SECOND[model][mode];
  const units = motionControlUnits(model, mode, durationMs);
  return `${billedSeconds(durationMs)} s × ${rate} units/s = ${units} units (≈ $${unitsToUsd(units).toFixed(2)})`;
}

/** Before a clip is added: the rate alone. */
export function motionControlRateLine(model: MotionControlModel, mode: Mode): string {
  return `${MOTION_CONTROL_UNITS_PER_SECOND[model][mode]} units per second of the reference video`;
}
