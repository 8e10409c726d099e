import { type Duration, MODELS, type Mode, type ModelName } from '../capabilities/matrix.ts';
import { DEFAULT_USD_PER_UNIT, unitsToUsd } from '../pricing/prices.ts';

/**
 * Creator words for the API's terms. The API's own names (`kling-v2-6`, `pro`, `cfg_scale`) stay in Request
 * JSON and tooltips; every other screen, and every message both sides show, speaks these.
 */
export const MODE_WORDS: Record<Mode, string> = { std: 'Standard', pro: 'Pro', '4k': '4K' };

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

export interface SetupWords {
  model: ModelName;
  mode?: Mode | undefined;
  duration?: Duration | string | number | undefined;
}

/** "Kling 2.6 · Pro · 5 s" (a model without modes: "Kling 2.1 Master · 5 s"). */
export function setupWords(s: SetupWords): string {
  const parts: string[] = [MODELS[s.model]?.label ?? s.model];
  if (s.mode) parts.push(MODE_WORDS[s.mode]);
  if (s.duration !== undefined && s.duration !== '') parts.push(`${s.duration} s`);
  return parts.join(' · ');
}

/** "1 unit", "3.5 units": units are Kling's billing currency. */
export function unitsWords(units: number): string {
  const n = Math.round(units * 100) / 100;
  return `${n} ${n === 1 ? 'unit' : 'units'}`;
}

/** "3.5 units (≈ $0.49)" at the studio's rate. */
export function unitsWithMoney(units: number, usdPerUnit = DEFAULT_USD_PER_UNIT): string {
  return `${unitsWords(units)} (≈ $${unitsToUsd(units, usdPerUnit).toFixed(2)})`;
}
