import {
  type Duration,
  describeSetup,
  describeSetups,
  effectiveMode,
  FEATURE_LABELS,
  type Feature,
  MODE_WORDS,
  MODEL_NAMES,
  MODELS,
  type Mode,
  type ModelCapabilities,
  type ModelName,
  type Setup,
  supports,
} from '../../contract/capabilities/matrix.ts';
import { unitsChangeWords } from '../../contract/words/setup-words.ts';
import type { Draft } from './draft-types.ts';
import { noticeRate, setupUnits } from './setup-change.ts';

/**
 * Capability gating for the composer: which model/mode/duration options can carry what the creator has
 * set up, and where to go when they cannot. Pure functions over the contract's matrix.
 */

/** The features the draft would submit, so the options that cannot carry them get disabled. */
export function requiredFeatures(d: Draft): Feature[] {
  const out: Feature[] = [];
  if (d.motionTab === 'frames' && d.frames.end) out.push('endFrame');
  if (d.motionTab === 'brush') out.push('motionBrush');
  if (d.motionTab === 'camera') out.push('camera');
  if (d.sound === 'on') out.push('sound');
  if (d.voices.length > 0) out.push('voice');
  if (d.storyboard.enabled) out.push('multiShot');
  if (d.storyboard.elements.length > 0) out.push('elements');
  return out;
}

export function supportsAll(setup: Setup, features: readonly Feature[]): boolean {
  return features.every((f) => supports(setup, f));
}

/** Every setup of one model (mode undefined for models that take none). */
export function setupsOf(model: ModelName): Setup[] {
  const caps: ModelCapabilities = MODELS[model];
  const modes: (Mode | undefined)[] = caps.modes.length ? [...caps.modes] : [undefined];
  return modes.flatMap((mode) => caps.durations.map((duration) => ({ model, mode, duration })));
}

export interface Choice<T extends string> {
  value: T;
  label: string;
  /** Why the option cannot be picked with the current setup; undefined when it can. */
  disabledReason?: string;
  /** The option's name in the notes under the field ("Kling 1.0: no camera control"); the label otherwise. */
  name?: string;
  /** The API's own name, for the option's tooltip ("kling-v1"). */
  apiName?: string;
}

/** "no camera control" / "can't combine sound and start & end frames" for a set of candidate setups. */
function reasonFor(setups: readonly Setup[], features: readonly Feature[], where = ''): string | undefined {
  if (setups.some((s) => supportsAll(s, features))) return undefined;
  const missing = features.filter((f) => !setups.some((s) => supports(s, f)));
  const suffix = where ? ` ${where}` : '';
  if (missing.length) return `no ${missing.map((f) => FEATURE_LABELS[f]).join(' or ')}${suffix}`;
  return `can't combine ${features.map((f) => FEATURE_LABELS[f]).join(' and ')}${suffix}`;
}

/** The capability map as the studio serves it (GET /api/capabilities): the bundled one plus RETIRED_MODELS. */
export type ModelMap = Readonly<Record<ModelName, ModelCapabilities>>;

/**
 * Every model, in the served map's words: "Kling 2.6" (the API's `kling-v2-6` in its tooltip), a legacy
 * model says so in its label, a retired one is disabled with its note ("Kling no longer offers kling-v1;
 * pick another") whatever the draft carries.
 */
export function modelChoices(features: readonly Feature[], models: ModelMap = MODELS): Choice<ModelName>[] {
  return MODEL_NAMES.map((model) => {
    const { label, lifecycle } = models[model];
    return {
      value: model,
      label: `${label}${lifecycle.status === 'legacy' ? ' · Legacy' : ''}`,
      name: label,
      apiName: model,
      disabledReason:
        lifecycle.status === 'retired' ? (lifecycle.note ?? 'retired') : reasonFor(setupsOf(model), features),
    };
  });
}

/** The Mode select's words: the creator's word for each mode, 4K with its resolution. */
export const MODE_LABELS: Record<Mode, string> = { ...MODE_WORDS, '4k': `${MODE_WORDS['4k']} (2160p)` };

export function modeChoices(model: ModelName, features: readonly Feature[]): Choice<Mode>[] {
  const caps: ModelCapabilities = MODELS[model];
  return caps.modes.map((mode) => ({
    value: mode,
    label: MODE_LABELS[mode],
    name: MODE_WORDS[mode],
    apiName: mode,
    disabledReason: reasonFor(
      caps.durations.map((duration) => ({ model, mode, duration })),
      features,
      `in ${MODE_WORDS[mode]}`,
    ),
  }));
}

export function durationChoices(
  model: ModelName,
  mode: Mode,
  features: readonly Feature[],
): Choice<Duration>[] {
  const caps: ModelCapabilities = MODELS[model];
  const m = effectiveMode(model, mode);
  return caps.durations.map((duration) => ({
    value: duration,
    label: `${duration} s`,
    disabledReason: reasonFor([{ model, mode: m, duration }], features, `at ${duration} s`),
  }));
}

/**
 * The supporting setup that changes the least from `current`: same model first, then same mode, then
 * same duration. Undefined when no setup supports every feature.
 */
export function closestSetup(
  current: Setup,
  features: readonly Feature[],
  models: readonly ModelName[] = MODEL_NAMES,
): Setup | undefined {
  let best: Setup | undefined;
  let bestScore = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const model of models)
    for (const s of setupsOf(model)) {
      if (!supportsAll(s, features)) continue;
      const score =
        (s.model === current.model ? 4 : 0) +
        (s.mode === current.mode || s.mode === undefined ? 2 : 0) +
        (s.duration === current.duration ? 1 : 0);
      // Among equals, the nearest length: kling-v3's 12 s lands on 10 s elsewhere, not on 5 s.
      const distance = Math.abs(Number(s.duration) - Number(current.duration));
      if (score > bestScore || (score === bestScore && distance < bestDistance)) {
        best = s;
        bestScore = score;
        bestDistance = distance;
      }
    }
  return best;
}

export function currentSetup(d: Pick<Draft, 'model' | 'mode' | 'duration'>): Setup {
  return { model: d.model, mode: effectiveMode(d.model, d.mode), duration: d.duration };
}

/** The mode and duration to land on when the creator picks `model`, keeping what still works. */
export function settleModel(
  d: Pick<Draft, 'mode' | 'duration'>,
  model: ModelName,
  features: readonly Feature[],
): { mode: Mode; duration: Duration } {
  const caps: ModelCapabilities = MODELS[model];
  const target = closestSetup({ model, mode: d.mode, duration: d.duration }, features, [model]);
  const mode = target?.mode ?? (caps.modes.includes(d.mode) ? d.mode : (caps.modes[0] ?? d.mode));
  const duration =
    target?.duration ?? (caps.durations.includes(d.duration) ? d.duration : caps.durations[0]!);
  return { mode, duration };
}

/** The duration to land on when the creator picks `mode`. */
export function settleMode(
  d: Pick<Draft, 'model' | 'duration'>,
  mode: Mode,
  features: readonly Feature[],
): Duration {
  const ok = (duration: Duration) => supportsAll({ model: d.model, mode, duration }, features);
  if (ok(d.duration)) return d.duration;
  return MODELS[d.model].durations.find(ok) ?? d.duration;
}

export interface FeatureOffer {
  feature: Feature;
  supported: boolean;
  /** Where the feature is available, as "Kling 1.5 · Pro · 5 s" texts. */
  availableOn: string[];
  /** The setup to switch to (keeping the other features the draft uses), when the current one lacks it. */
  switchTo: Setup | undefined;
  /** Features the draft uses that `switchTo` cannot carry (the creator must give them up to switch). */
  conflicts: Feature[];
}

/** For a feature the creator picked: is it available here, where else, and which setup to offer. */
export function featureOffer(
  d: Draft,
  feature: Feature,
  retiredModels: readonly ModelName[] = [],
): FeatureOffer {
  const current = currentSetup(d);
  const others = requiredFeatures(d).filter((f) => f !== feature);
  const wanted = [...others, feature];
  const supported = supports(current, feature);
  // A retired model is never offered: switching to it would only meet "Kling no longer offers …".
  const offerable = MODEL_NAMES.filter((m) => !retiredModels.includes(m));
  const availableOn = describeSetups(
    offerable.flatMap((m) => setupsOf(m)).filter((s) => supports(s, feature)),
  );
  const switchTo = supportsAll(current, wanted)
    ? undefined
    : (closestSetup(current, wanted, offerable) ?? closestSetup(current, [feature], offerable));
  const conflicts = switchTo ? others.filter((f) => !supports(switchTo, f)) : [];
  return { feature, supported, availableOn, switchTo, conflicts };
}

/**
 * What the FeatureOffer box shows for an offer: setups as text, and the switch as a callback. The switch
 * names the feature it is for, so the store can say what changed and offer Undo.
 */
export function offerView(
  d: Draft,
  offer: FeatureOffer,
  applySetup: (setup: Setup, because?: Feature) => void,
) {
  const { switchTo } = offer;
  return {
    current: describeSetup(currentSetup(d)),
    availableOn: offer.availableOn,
    switchLabel: switchTo ? describeSetup(switchTo) : undefined,
    switchCost: switchTo ? switchCostWords(d, switchTo) : undefined,
    onSwitch: switchTo ? () => applySetup(switchTo, offer.feature) : undefined,
    conflicts: offer.conflicts.map((f) => FEATURE_LABELS[f]),
  };
}

/** The features of `features` that `setup` cannot carry. */
export function lackingFeatures(setup: Setup, features: readonly Feature[]): Feature[] {
  return features.filter((f) => !supports(setup, f));
}

/**
 * Where the draft must go when something it just gained (an end frame) does not fit its setup: the nearest
 * setup of the same model that carries everything. Undefined when the setup fits, or when no setup of the
 * model does (then the offer to switch models is shown, and nothing changes by itself).
 */
export function forcedSetup(d: Draft): Setup | undefined {
  const current = currentSetup(d);
  const features = requiredFeatures(d);
  if (supportsAll(current, features)) return undefined;
  return closestSetup(current, features, [d.model]);
}

/** "+2 units, ≈ $0.28": what moving the draft to `to` does to Generate's price (undefined when unpriced). */
export function switchCostWords(d: Draft, to: Setup, usdPerUnit = noticeRate()): string | undefined {
  const now = setupUnits(currentSetup(d), d);
  const then = setupUnits(to, d);
  return now === undefined || then === undefined ? undefined : unitsChangeWords(then - now, usdPerUnit);
}
