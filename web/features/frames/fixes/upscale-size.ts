import { LIMITS } from '../../../../contract/limits.ts';
import type { Size } from './crop-box.ts';

/**
 * "Upscale": the short side to the rules' minimum, the long side in proportion. Rounding never pushes the
 * shape past an aspect limit: the long side is at most the short side × the ratio it already had.
 */
export function upscaleSize({ width, height }: Size): Size {
  const short = Math.min(width, height);
  if (short >= LIMITS.imageMinSide || short <= 0) return { width, height };
  const factor = LIMITS.imageMinSide / short;
  return width <= height
    ? { width: LIMITS.imageMinSide, height: Math.round(height * factor) }
    : { width: Math.round(width * factor), height: LIMITS.imageMinSide };
}
