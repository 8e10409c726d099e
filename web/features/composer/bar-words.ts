import {
  billedSeconds,
  DEFAULT_USD_PER_UNIT,
  image2videoPrice,
  motionControlUnits,
} from '../../../contract/pricing/prices.ts';
import { setupWords, unitsWithMoney } from '../../../contract/words/setup-words.ts';
import type { DraftCheck } from '../../editor/check-draft.ts';
import type { Draft } from '../../editor/draft-types.ts';
import { currentSetup } from '../../editor/gating.ts';

export interface BarWords {
  /** "Kling 2.6 · Standard · 5 s". */
  setup: string;
  /** "1.5 units (≈ $0.21)", or why it is not known yet. */
  cost: string;
  /** How the figure is reached ("5 s × 0.3 units/s"), for the tooltip; the Summary has it in full. */
  costBasis?: string;
  /** One task's price in units, when it is known: Takes and a batch multiply it. */
  units?: number;
}

/**
 * The action bar's one line about the press: the setup and what it costs, in creator words
 * (contract/words), from the same price table as the Summary's cost line.
 */
export function barWords(
  draft: Draft,
  check: DraftCheck,
  { referenceMs, usdPerUnit = DEFAULT_USD_PER_UNIT }: { referenceMs?: number; usdPerUnit?: number } = {},
): BarWords {
  if (check.kind === 'motion-control') {
    const { model, mode, clip } = draft.reference;
    const ms = clip?.upload.durationMs ?? referenceMs;
    const setup = `${setupWords({ model, mode, duration: ms === undefined ? undefined : billedSeconds(ms) })} · Reference video`;
    if (ms === undefined) return { setup, cost: 'cost follows the reference video' };
    const units = motionControlUnits(model, mode, ms);
    return { setup, cost: unitsWithMoney(units, usdPerUnit), units };
  }
  const setup = currentSetup(draft);
  const price = image2videoPrice({
    ...setup,
    sound: check.request.sound === 'on',
    voices: draft.voices.length,
  });
  return {
    setup: setupWords(setup),
    cost: price ? unitsWithMoney(price.units, usdPerUnit) : 'no price known for this setup',
    ...(price && { costBasis: price.basis, units: price.units }),
  };
}
