import type { Violation } from '../../../../contract/schemas/studio-api.ts';

/** The one-click fixes for a refused picture, by the rule each one answers. */
export type FixKind = 'crop' | 'upscale' | 'compress';

/** Accessible names the tests and assistive tech rely on (design.md "frame fixes"): exactly these. */
export const FIX_LABEL: Record<FixKind, string> = {
  crop: 'Crop to fit',
  upscale: 'Upscale',
  compress: 'Compress',
};

/**
 * In the order they are best applied: cropping first (it may also bring the size under the limit), then
 * upscaling, and compressing last, so each fix works on what the one before left.
 */
const FIX_FOR_RULE: [FixKind, string][] = [
  ['crop', 'image_aspect'],
  ['upscale', 'image_too_small'],
  ['compress', 'image_too_large'],
];

/**
 * Rules no fix can answer, after which nothing should try to decode the file: not a JPG/PNG, an empty or
 * unreadable header, damaged picture data, or sides over the limit (a decompression bomb looks like that).
 */
const UNFIXABLE = new Set([
  'image_empty',
  'image_format',
  'image_unreadable',
  'image_damaged',
  'image_too_big',
]);

export function fixesFor(violations: readonly Violation[]): FixKind[] {
  if (violations.some((v) => UNFIXABLE.has(v.rule))) return [];
  const rules = new Set(violations.map((v) => v.rule));
  return FIX_FOR_RULE.filter(([, rule]) => rules.has(rule)).map(([kind]) => kind);
}
