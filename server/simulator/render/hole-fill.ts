/**
 * Filling the hole a moved region leaves behind (pull-push over a mask from mask-ops.ts). Runs once per
 * render on raw buffers, never per frame.
 */
import type { Size } from './frame-geometry.ts';
import type { BinaryMask } from './mask-ops.ts';

interface Level {
  width: number;
  height: number;
  /** Premultiplied colour: sum of known colour × its weight. */
  colour: Float32Array;
  /** Share of the area that is known, 0..1. */
  weight: Float32Array;
}

function halve(level: Level): Level {
  const width = Math.ceil(level.width / 2);
  const height = Math.ceil(level.height / 2);
  const colour = new Float32Array(width * height * 3);
  const weight = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let children = 0;
      let w = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const sx = 2 * x + dx;
          const sy = 2 * y + dy;
          if (sx >= level.width || sy >= level.height) continue;
          const i = sy * level.width + sx;
          children++;
          w += level.weight[i]!;
          r += level.colour[i * 3]!;
          g += level.colour[i * 3 + 1]!;
          b += level.colour[i * 3 + 2]!;
        }
      }
      const o = y * width + x;
      weight[o] = w / children;
      colour[o * 3] = r / children;
      colour[o * 3 + 1] = g / children;
      colour[o * 3 + 2] = b / children;
    }
  }
  return { width, height, colour, weight };
}

/** Bilinear sample of a straight-colour image at continuous pixel coordinates (centres at +0.5). */
function sample(image: Float32Array, width: number, height: number, fx: number, fy: number, out: number[]) {
  const x = Math.min(width - 1, Math.max(0, fx - 0.5));
  const y = Math.min(height - 1, Math.max(0, fy - 0.5));
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(width - 1, x0 + 1);
  const y1 = Math.min(height - 1, y0 + 1);
  const ax = x - x0;
  const ay = y - y0;
  for (let c = 0; c < 3; c++) {
    const top = image[(y0 * width + x0) * 3 + c]! * (1 - ax) + image[(y0 * width + x1) * 3 + c]! * ax;
    const bottom = image[(y1 * width + x0) * 3 + c]! * (1 - ax) + image[(y1 * width + x1) * 3 + c]! * ax;
    out[c] = top * (1 - ay) + bottom * ay;
  }
}

/** Known colour averaged onto a coarse grid: the input of the pull phase. */
export interface CoarseImage extends Level {
  workScale: number;
}

/** Phase 1 samples every other pixel in each direction: plenty for a blur, and four times cheaper. */
const SAMPLE_STEP = 2;

/**
 * Phase 1 of fillHoles: averages the known (non-hole) pixels onto a grid `workScale` times coarser.
 * The fill is a soft blur anyway, so the pyramid can start small.
 */
export function averageKnown(rgb: Uint8Array, hole: BinaryMask, size: Size, workScale = 8): CoarseImage {
  const { width, height } = size;
  const baseWidth = Math.ceil(width / workScale);
  const baseHeight = Math.ceil(height / workScale);
  const colour = new Float32Array(baseWidth * baseHeight * 3);
  const weight = new Float32Array(baseWidth * baseHeight);
  const samples = new Float32Array(baseWidth * baseHeight);
  const cellOfX = new Int32Array(width);
  for (let x = 0; x < width; x++) cellOfX[x] = Math.floor(x / workScale);
  const holePixels = hole.pixels;
  for (let y = 0; y < height; y += SAMPLE_STEP) {
    const cellRow = Math.floor(y / workScale) * baseWidth;
    const row = y * width;
    for (let x = 0; x < width; x += SAMPLE_STEP) {
      const i = row + x;
      const cell = cellRow + cellOfX[x]!;
      samples[cell]!++;
      if (holePixels[i]) continue;
      weight[cell]!++;
      colour[cell * 3]! += rgb[i * 3]!;
      colour[cell * 3 + 1]! += rgb[i * 3 + 1]!;
      colour[cell * 3 + 2]! += rgb[i * 3 + 2]!;
    }
  }
  for (let cell = 0; cell < samples.length; cell++) {
    const n = samples[cell]!;
    weight[cell]! /= n;
    colour[cell * 3]! /= n;
    colour[cell * 3 + 1]! /= n;
    colour[cell * 3 + 2]! /= n;
  }
  return { width: baseWidth, height: baseHeight, colour, weight, workScale };
}

/**
 * Phase 2 (push-pull): averages the known colour down a pyramid, then pulls the averages back into
 * the gaps level by level. Returns straight RGB at the coarse grid's size, with no gaps left.
 */
export function pullFill(coarse: CoarseImage): Float32Array {
  const levels: Level[] = [coarse];
  while (levels[levels.length - 1]!.width > 1 || levels[levels.length - 1]!.height > 1) {
    levels.push(halve(levels[levels.length - 1]!));
  }
  const top = levels[levels.length - 1]!;
  const topWeight = top.weight[0]!;
  // An image that is all hole has nothing to borrow from; mid-grey is as good a guess as any.
  let filled = Float32Array.from([0, 1, 2], (c) => (topWeight > 0 ? top.colour[c]! / topWeight : 128));
  const parentColour = [0, 0, 0];
  // Each level keeps what it knows and takes the rest from the (already filled) level above.
  for (let l = levels.length - 2; l >= 0; l--) {
    const level = levels[l]!;
    const parent = levels[l + 1]!;
    const next = new Float32Array(level.width * level.height * 3);
    for (let y = 0; y < level.height; y++) {
      for (let x = 0; x < level.width; x++) {
        const i = y * level.width + x;
        const w = Math.min(1, level.weight[i]!);
        sample(filled, parent.width, parent.height, (x + 0.5) / 2, (y + 0.5) / 2, parentColour);
        for (let c = 0; c < 3; c++) next[i * 3 + c] = level.colour[i * 3 + c]! + (1 - w) * parentColour[c]!;
      }
    }
    filled = next;
  }
  return filled;
}

/** Phase 3: a copy of `rgb` whose hole pixels are painted from the coarse fill, smoothly upsampled. */
export function paintHoles(
  rgb: Uint8Array,
  hole: BinaryMask,
  size: Size,
  coarse: CoarseImage,
  filled: Float32Array,
) {
  const { width } = size;
  const { workScale } = coarse;
  // slice() copies the buffer in one go; Uint8Array.from would walk it with an iterator.
  const out = rgb.slice();
  const bounds = hole.bounds;
  if (!bounds) return out;
  const guess = [0, 0, 0];
  for (let y = bounds.y; y < bounds.y + bounds.height; y++) {
    const row = y * width;
    for (let x = bounds.x; x < bounds.x + bounds.width; x++) {
      const i = row + x;
      if (!hole.pixels[i]) continue;
      sample(filled, coarse.width, coarse.height, (x + 0.5) / workScale, (y + 0.5) / workScale, guess);
      out[i * 3] = Math.round(guess[0]!);
      out[i * 3 + 1] = Math.round(guess[1]!);
      out[i * 3 + 2] = Math.round(guess[2]!);
    }
  }
  return out;
}

/**
 * Replaces the `hole` pixels of an RGB image with a smooth guess from the pixels around them.
 * The three phases are exported separately so a caller can yield to the event loop between them.
 */
export function fillHoles(rgb: Uint8Array, hole: BinaryMask, size: Size, workScale = 8): Uint8Array {
  const coarse = averageKnown(rgb, hole, size, workScale);
  return paintHoles(rgb, hole, size, coarse, pullFill(coarse));
}
