import {
  describeSetup,
  FEATURE_LABELS,
  type Feature,
  MODE_WORDS,
  MODELS,
  type ModelCapabilities,
  type Setup,
} from '../../contract/capabilities/matrix.ts';
import { DEFAULT_USD_PER_UNIT, image2videoPrice } from '../../contract/pricing/prices.ts';
import { unitsChangeWords } from '../../contract/words/setup-words.ts';
import type { Draft } from './draft-types.ts';

/**
 * No silent changes: when one choice forces another (an end frame moves Kling 2.6 from Standard to Pro,
 * a model without 12 s moves the length to 10 s, a "Switch to…" offer), the studio says what changed, what
 * it costs, and why, and offers Undo. These are the words; the store decides when a change is forced.
 */

/** Why the studio changed the setup (either or both). */
export interface ChangeCause {
  /** Features the draft uses that the setup in `before` cannot carry. */
  features?: readonly Feature[];
  /** The creator picked `after.model`, which may not offer the mode or length they had. */
  pickedModel?: boolean;
  /** The setup `features` are missing on, when it is not `before` (a picked model's nearest real setup). */
  featuresOn?: Setup;
}

/** The draft's fields that move a price besides the setup itself. */
type PriceFields = Pick<Draft, 'sound' | 'voices'>;

/** What Generate would cost on `setup` with the draft's sound and voices; undefined where unpriced. */
export function setupUnits(setup: Setup, d: PriceFields): number | undefined {
  return image2videoPrice({ ...setup, sound: d.sound === 'on', voices: d.voices.length })?.units;
}

/** The parts of `after` that differ from `before`: the whole setup when the model moved, else mode and length. */
function changedWords(before: Setup, after: Setup): string {
  if (before.model !== after.model) return describeSetup(after);
  const parts: string[] = [];
  if (after.mode && after.mode !== before.mode) parts.push(MODE_WORDS[after.mode]);
  if (after.duration !== before.duration) parts.push(`${after.duration} s`);
  return parts.join(' · ');
}

/** "Kling 2.6 Standard" when the mode moved, "Kling 2.6 at 12 s" when only the length did, else the setup. */
function subjectWords(before: Setup, after: Setup): string {
  const label = (MODELS[before.model] as ModelCapabilities).label;
  if (before.model !== after.model) return describeSetup(before);
  if (before.mode && before.mode !== after.mode) return `${label} ${MODE_WORDS[before.mode]}`;
  return `${label} at ${before.duration} s`;
}

/** "Kling 2.6 doesn't offer 4K or 12 s", when the picked model lacks what the creator had. */
function unavailableWords(before: Setup, after: Setup): string | undefined {
  const caps: ModelCapabilities = MODELS[after.model];
  const missing = [
    before.mode && caps.modes.length && !caps.modes.includes(before.mode) ? MODE_WORDS[before.mode] : '',
    caps.durations.includes(before.duration) ? '' : `${before.duration} s`,
  ].filter(Boolean);
  return missing.length ? `${caps.label} doesn't offer ${missing.join(' or ')}` : undefined;
}

/**
 * "Switched to Pro (+1 unit, ≈ $0.14) because Kling 2.6 Standard can't do start & end frames".
 * `before` is the setup the creator asked for (for a picked model: that model with the mode and length they
 * had); `was` is what Generate was about to run a moment ago, the base of the price change.
 */
export function setupChangeWords(
  change: { before: Setup; after: Setup; was: Setup; cause: ChangeCause },
  d: PriceFields,
  usdPerUnit = DEFAULT_USD_PER_UNIT,
): string {
  const { before, after, was, cause } = change;
  const now = setupUnits(after, d);
  const then = setupUnits(was, d);
  const cost =
    now !== undefined && then !== undefined ? ` (${unitsChangeWords(now - then, usdPerUnit)})` : '';
  const reasons = [
    cause.pickedModel ? unavailableWords(before, after) : undefined,
    cause.features?.length
      ? `${subjectWords(cause.featuresOn ?? before, after)} can't do ${cause.features.map((f) => FEATURE_LABELS[f]).join(' and ')}`
      : undefined,
  ].filter(Boolean);
  return `Switched to ${changedWords(before, after)}${cost}${reasons.length ? ` because ${reasons.join(', and ')}` : ''}`;
}

/** Whether two setups are the same as Kling would run them. */
export function sameSetup(a: Setup, b: Setup): boolean {
  return a.model === b.model && a.mode === b.mode && a.duration === b.duration;
}

let servedRate = DEFAULT_USD_PER_UNIT;

/** The money rate the studio serves (USD_PER_UNIT), for the notices' "≈ $": set by the settings panel. */
export function setNoticeRate(usdPerUnit: number) {
  servedRate = usdPerUnit;
}

export const noticeRate = () => servedRate;
