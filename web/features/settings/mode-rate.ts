import { effectiveMode, type Mode, type ModelName } from '../../../contract/capabilities/matrix.ts';
import { IMAGE2VIDEO_PRICES } from '../../../contract/pricing/prices.ts';

/**
 * A mode's price beside its name in the Mode select, from the contract's one table: "3 units/s" for
 * kling-v3 4K. With sound on, the with-sound rate where the model has one (what the cost line will bill).
 */
export function modeRate(model: ModelName, mode: Mode, sound: boolean): string | undefined {
  const rate = IMAGE2VIDEO_PRICES[model].perSecond[effectiveMode(model, mode) ?? '-'];
  if (!rate) return undefined;
  return `${sound && rate.sound !== undefined ? rate.sound : rate.silent} units/s`;
}

/** True when a model's durations are a run of more than two whole seconds (kling-v3's 3–15 s): a slider. */
export function durationIsRange(durations: readonly string[]): boolean {
  if (durations.length <= 2) return false;
  return durations.every((d, i) => i === 0 || Number(d) === Number(durations[i - 1]) + 1);
}
