/**
 * Creator words for the API's terms. The API's own names (`kling-v2-6`, `pro`, `cfg_scale`) stay in Request
 * JSON and tooltips; every other screen, and every message both sides show, speaks these.
 */
import { describeSetup, type SetupLike } from '../capabilities/matrix.ts';
import { DEFAULT_USD_PER_UNIT, unitsToUsd } from '../pricing/prices.ts';

/** The mode words live beside the model labels in the capability map, so the rules can use them too. */
export { MODE_WORDS } from '../capabilities/matrix.ts';

/** Plain labels for request fields a creator sees named on screen (the API's field name goes in a tooltip). */
export const FIELD_WORDS = {
  cfg_scale: 'Prompt strength',
  negative_prompt: 'Negative prompt',
  static_mask: 'Static mask',
  dynamic_masks: 'Dynamic masks',
  camera_control: 'Camera move',
  image_tail: 'End frame',
  image: 'Start frame',
  sound: 'Sound',
  voice_list: 'Voices',
} as const;

export type SetupWords = SetupLike;

/**
 * "Kling 2.6 · Pro · 5 s" (a model without modes: "Kling 2.1 Master · 5 s"). The contract's own
 * describeSetup, so the rules' messages and the screens name a setup the same way.
 */
export const setupWords = (s: SetupWords): string => describeSetup(s);

/** "1 unit", "3.5 units": units are Kling's billing currency. */
export function unitsWords(units: number): string {
  const n = Math.round(units * 100) / 100;
  return `${n} ${n === 1 ? 'unit' : 'units'}`;
}

/** "3.5 units (≈ $0.49)" at the studio's rate. */
export function unitsWithMoney(units: number, usdPerUnit = DEFAULT_USD_PER_UNIT): string {
  return `${unitsWords(units)} (≈ $${unitsToUsd(units, usdPerUnit).toFixed(2)})`;
}

/**
 * What a change does to the price, "+2.5 units, ≈ $0.35" or "−1 unit, ≈ −$0.14" ("same price" for none), for
 * the notices that say what a switch the studio made costs.
 */
export function unitsChangeWords(delta: number, usdPerUnit = DEFAULT_USD_PER_UNIT): string {
  const n = Math.round(delta * 100) / 100;
  if (n === 0) return 'same price';
  const sign = n > 0 ? '+' : '−';
  const usd = unitsToUsd(Math.abs(n), usdPerUnit).toFixed(2);
  return `${sign}${unitsWords(Math.abs(n))}, ≈ ${n > 0 ? '' : '−'}$${usd}`;
}
