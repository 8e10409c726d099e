import { describeSetup } from '../../../contract/capabilities/matrix.ts';
import { DEFAULT_USD_PER_UNIT, image2videoPrice, type PriceSetup } from '../../../contract/pricing/prices.ts';
import { unitsWithMoney } from '../../../contract/words/setup-words.ts';

/**
 * What an image-to-video task will cost, worked out where the creator can check it, from the contract's
 * one price table: every setting that moves the price (model, mode, duration, sound, voices) is in the
 * basis — "12 s × 1.2 units/s with sound = 14.4 units (≈ $2.02)". Money is at the rate the studio serves
 * (an operator's own contract), 1 unit ≈ US$0.14 by default.
 */
export function image2videoCostLine(setup: PriceSetup, usdPerUnit = DEFAULT_USD_PER_UNIT): string {
  const price = image2videoPrice(setup);
  if (!price) return `no price known for ${describeSetup(setup)}`;
  return `${price.basis} = ${unitsWithMoney(price.units, usdPerUnit)}`;
}
