/**
 * Kling's 2026 prices, as data (kling-2026.md §3, the official pricing page, K-PRICE). The composer shows
 * them before Generate, the simulator bills them as `final_unit_deduction`, the task detail repeats them.
 */

import {
  type Duration,
  effectiveMode,
  MODELS,
  type Mode,
  type ModelName,
  variantOf,
} from '../capabilities/matrix.ts';
import type { MotionControlMode, MotionControlModel } from '../capabilities/motion-control.ts';

export const PRICE_SOURCE = { name: 'Kling video pricing page (K-PRICE)', asOf: '2026-12-01' } as const;

/** What one unit costs, by the same table ("1 unit ≈ US$0.14"); the studio's default money rate. */
export const DEFAULT_USD_PER_UNIT = 0.14;

/** Motion control, units per second of output, by model and mode (720p std, 1080p pro). */
export const MOTION_CONTROL_UNITS_PER_SECOND = {
  'kling-v2-6': { std: 0.5, pro: 0.8 },
  'kling-v3': { std: 0.9, pro: 1.2 },
} as const satisfies Record<MotionControlModel, Record<MotionControlMode, number>>;

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

/** The motion-control figure and how it was reached ("5 s × 0.5 units/s"). */
export function motionControlPrice(
  model: MotionControlModel,
  mode: MotionControlMode,
  durationMs: number,
): Price {
  const seconds = billedSeconds(durationMs);
  const rate = MOTION_CONTROL_UNITS_PER_SECOND[model][mode];
  return { units: roundUnits(rate * seconds), basis: `${seconds} s × ${rate} units/s` };
}

export function motionControlUnits(
  model: MotionControlModel,
  mode: MotionControlMode,
  durationMs: number,
): number {
  return roundUnits(MOTION_CONTROL_UNITS_PER_SECOND[model][mode] * billedSeconds(durationMs));
}

export function unitsToUsd(units: number, usdPerUnit = DEFAULT_USD_PER_UNIT): number {
  return Math.round(units * usdPerUnit * 100) / 100;
}

const LEGACY_SOURCE = 'studio price list 2025 (absent from the 2026 table)' as const;
/** Where a model's numbers come from: the 2026 table, or the list kept for models it no longer prices. */
export const MODEL_PRICE_SOURCES = ['K-PRICE 2026', LEGACY_SOURCE] as const;

/** One model's image2video prices: units per second of output, by mode (`-` for models without modes). */
export interface ModelPrices {
  /** Where the numbers come from. */
  source: (typeof MODEL_PRICE_SOURCES)[number];
  perSecond: Partial<Record<Mode | '-', { silent: number; sound?: number }>>;
  /**
   * Units per 5 s with voices (kling-v2-6: 6 per 5 s, 12 per 10 s). The 2026 table prices "with audio and
   * voice" at 1.2 units/s, the same figure, so on today's numbers voices do not move the cost beyond sound on;
   * the row is kept so a change to either shows.
   */
  voicesPer5s?: number;
}

/** The first wave's list for models the 2026 table no longer prices: std 1, pro 3.5 per 5 s; masters 10. */
const legacy: ModelPrices = {
  source: LEGACY_SOURCE,
  perSecond: { std: { silent: 0.2 }, pro: { silent: 0.7 } },
};
const legacyMaster: ModelPrices = { source: LEGACY_SOURCE, perSecond: { '-': { silent: 2 } } };

export const IMAGE2VIDEO_PRICES: Record<ModelName, ModelPrices> = {
  'kling-v1': legacy,
  'kling-v1-5': legacy,
  'kling-v1-6': legacy,
  'kling-v2-master': legacyMaster,
  'kling-v2-1': legacy,
  'kling-v2-1-master': legacyMaster,
  'kling-v2-5-turbo': { source: 'K-PRICE 2026', perSecond: { std: { silent: 0.3 }, pro: { silent: 0.5 } } },
  'kling-v2-6': {
    source: 'K-PRICE 2026',
    perSecond: { std: { silent: 0.3 }, pro: { silent: 0.5, sound: 1.2 } },
    voicesPer5s: 6,
  },
  'kling-v3': {
    source: 'K-PRICE 2026',
    perSecond: {
      std: { silent: 0.6, sound: 0.9 },
      pro: { silent: 0.8, sound: 1.2 },
      '4k': { silent: 3.0, sound: 3.0 },
    },
  },
};

/** Everything in a request that moves its price. Shots do not: they only split `duration`. */
export interface PriceSetup {
  model: ModelName;
  mode: Mode | undefined;
  duration: Duration;
  sound?: boolean;
  voices?: number;
}

export interface Price {
  units: number;
  /** "5 s × 0.5 units/s" — how the figure was reached, for the cost line. */
  basis: string;
}

/** The units Kling deducts for an image2video request, and how; undefined where no price is known. */
export function image2videoPrice(p: PriceSetup): Price | undefined {
  const table = IMAGE2VIDEO_PRICES[p.model];
  const mode = effectiveMode(p.model, p.mode) ?? '-';
  const rate = table.perSecond[mode];
  if (!rate) return undefined;
  const seconds = Number(p.duration);
  if ((p.voices ?? 0) > 0 && p.sound && table.voicesPer5s !== undefined) {
    const units = roundUnits((table.voicesPer5s * seconds) / 5);
    return { units, basis: `${seconds} s with voices at ${table.voicesPer5s} units per 5 s` };
  }
  const perSecond = p.sound && rate.sound !== undefined ? rate.sound : rate.silent;
  return {
    units: roundUnits(perSecond * seconds),
    basis: `${seconds} s × ${perSecond} units/s${p.sound && rate.sound !== undefined ? ' with sound' : ''}`,
  };
}

/** Units only (0 when unknown), for the simulator's `final_unit_deduction` and summaries. */
export function image2videoUnits(p: PriceSetup): number {
  return image2videoPrice(p)?.units ?? 0;
}

/**
 * Every setup of MODELS the table cannot price: each model × mode × duration, and with sound (or voices)
 * wherever the capability map allows them, since a missing sound price would silently bill as silent.
 * Empty when the table is complete (it is tested so).
 */
export function unpricedSetups(): string[] {
  const out: string[] = [];
  for (const model of Object.keys(MODELS) as ModelName[]) {
    const caps = MODELS[model];
    const table = IMAGE2VIDEO_PRICES[model];
    const modes: (Mode | undefined)[] = caps.modes.length ? [...caps.modes] : [undefined];
    for (const mode of modes)
      for (const duration of caps.durations) {
        const setup = `${model} ${mode ?? '-'} ${duration}s`;
        if (!image2videoPrice({ model, mode, duration })) {
          out.push(setup);
          continue;
        }
        const variant = variantOf(model, mode, duration);
        const rate = table.perSecond[effectiveMode(model, mode) ?? '-'];
        if (variant.sound && rate?.sound === undefined) out.push(`${setup} with sound`);
        if (variant.voice && table.voicesPer5s === undefined) out.push(`${setup} with voices`);
      }
  }
  return out;
}
