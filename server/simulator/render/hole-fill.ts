/**
 * Pure pixel helpers for the motion brush: binary masks, their bounds, and filling the hole a moved
 * region leaves behind. They run once per render on raw buffers, never per frame.
 */
import type { Size } from './frame-geometry.ts';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Kling's rule: a mask pixel belongs to the region when it is brighter than mid-grey. */
export function thresholdMask(grey: Uint8Array): Uint8Array {
  const out = new Uint8Array(grey.length);
  for (let i = 0; i < grey.length; i++) out[i] = grey[i]! > 127 ? 255 : 0;
  return out;
}

/** Pixels set in any of the masks. */
export function unionMasks(masks: readonly Uint8Array[], size: Size): Uint8Array {
  const out = new Uint8Array(size.width * size.height);
  for (const mask of masks) {
    for (let i = 0; i < out.length; i++) if (mask[i]) out[i] = 255;
  }
  return out;
}

/**
 * The region's bounding box, grown to even coordinates and sizes: ffmpeg places overlays on the
 * 4:2:0 chroma grid, so an odd position would silently shift the layer by a pixel. Null when empty.
 */
export function maskBounds(mask: Uint8Array, size: Size): Box | null {
  const { width, height } = size;
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (mask[row + x]) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (maxX < 0) return null;
  const x = minX & ~1;
  const y = minY & ~1;
  // Frame sizes are even, so rounding the far edge up to even never leaves the frame.
  const right = Math.min(width, (maxX + 2) & ~1);
  const bottom = Math.min(height, (maxY + 2) & ~1);
  return { x, y, width: right - x, height: bottom - y };
}

/** The masked pixels of an RGB frame inside `box`, as RGBA with the mask as alpha. */
export function cutOut(rgb: Uint8Array, mask: Uint8Array, size: Size, box: Box): Uint8Array {
  const out = new Uint8Array(box.width * box.height * 4);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const src = (box.y + y) * size.width + box.x + x;
      const dst = (y * box.width + x) * 4;
      out[dst] = rgb[src * 3]!;
      out[dst + 1] = rgb[src * 3 + 1]!;
      out[dst + 2] = rgb[src * 3 + 2]!;
      out[dst + 3] = mask[src]!;
    }
  }
  return out;
}

/** Grows a mask by `radius` pixels (square neighbourhood), via two running-window passes. */
export function dilateMask(mask: Uint8Array, size: Size, radius: number): Uint8Array {
  if (radius <= 0) return mask.slice();
  // Only the neighbourhood of the set pixels can change, and masks rarely cover much of a frame.
  const bounds = maskBounds(mask, size);
  if (!bounds) return mask.slice();
  const x0 = Math.max(0, bounds.x - radius);
  const y0 = Math.max(0, bounds.y - radius);
  const region = {
    x: x0,
    y: y0,
    width: Math.min(size.width, bounds.x + bounds.width + radius) - x0,
    height: Math.min(size.height, bounds.y + bounds.height + radius) - y0,
  };
  const crop = new Uint8Array(region.width * region.height);
  for (let y = 0; y < region.height; y++) {
    const from = (region.y + y) * size.width + region.x;
    crop.set(mask.subarray(from, from + region.width), y * region.width);
  }
  const grown = dilateWhole(crop, region, radius);
  const out = mask.slice();
  for (let y = 0; y < region.height; y++) {
    out.set(grown.subarray(y * region.width, (y + 1) * region.width), (region.y + y) * size.width + region.x);
  }
  return out;
}

function dilateWhole(mask: Uint8Array, size: Size, radius: number): Uint8Array {
  const { width, height } = size;
  const horizontal = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let count = 0;
    for (let x = 0; x < Math.min(radius, width); x++) if (mask[row + x]) count++;
    for (let x = 0; x < width; x++) {
      const enter = x + radius;
      const leave = x - radius - 1;
      if (enter < width && mask[row + enter]) count++;
      if (leave >= 0 && mask[row + leave]) count--;
      horizontal[row + x] = count > 0 ? 255 : 0;
    }
  }
  // The vertical pass walks rows too, keeping one running count per column: reading a 2-megapixel
  // buffer column by column would thrash the cache.
  const out = new Uint8Array(mask.length);
  const counts = new Int32Array(width);
  for (let y = 0; y < Math.min(radius, height); y++) {
    for (let x = 0; x < width; x++) if (horizontal[y * width + x]) counts[x]!++;
  }
  for (let y = 0; y < height; y++) {
    const enter = y + radius < height ? (y + radius) * width : -1;
    const leave = y - radius - 1 >= 0 ? (y - radius - 1) * width : -1;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (enter >= 0 && horizontal[enter + x]) counts[x]!++;
      if (leave >= 0 && horizontal[leave + x]) counts[x]!--;
      out[row + x] = counts[x]! > 0 ? 255 : 0;
    }
  }
  return out;
}

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

/**
 * Phase 1 of fillHoles: averages the known (non-hole) pixels onto a grid `workScale` times coarser.
 * The fill is a soft blur anyway, so the pyramid can start small.
 */
export function averageKnown(rgb: Uint8Array, hole: Uint8Array, size: Size, workScale = 8): CoarseImage {
  const { width, height } = size;
  const baseWidth = Math.ceil(width / workScale);
  const baseHeight = Math.ceil(height / workScale);
  const colour = new Float32Array(baseWidth * baseHeight * 3);
  const weight = new Float32Array(baseWidth * baseHeight);
  const cellOfX = Int32Array.from({ length: width }, (_, x) => Math.floor(x / workScale));
  for (let y = 0; y < height; y++) {
    const cellRow = Math.floor(y / workScale) * baseWidth;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (hole[i]) continue;
      const cell = cellRow + cellOfX[x]!;
      weight[cell]!++;
      colour[cell * 3]! += rgb[i * 3]!;
      colour[cell * 3 + 1]! += rgb[i * 3 + 1]!;
      colour[cell * 3 + 2]! += rgb[i * 3 + 2]!;
    }
  }
  for (let cy = 0; cy < baseHeight; cy++) {
    const cellHeight = Math.min(height, (cy + 1) * workScale) - cy * workScale;
    for (let cx = 0; cx < baseWidth; cx++) {
      // Cells on the right and bottom edges may be cut short by the image border.
      const area = (Math.min(width, (cx + 1) * workScale) - cx * workScale) * cellHeight;
      const cell = cy * baseWidth + cx;
      weight[cell]! /= area;
      colour[cell * 3]! /= area;
      colour[cell * 3 + 1]! /= area;
      colour[cell * 3 + 2]! /= area;
    }
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
  hole: Uint8Array,
  size: Size,
  coarse: CoarseImage,
  filled: Float32Array,
) {
  const { width } = size;
  const { workScale } = coarse;
  const out = Uint8Array.from(rgb);
  const bounds = maskBounds(hole, size);
  if (!bounds) return out;
  const guess = [0, 0, 0];
  for (let y = bounds.y; y < bounds.y + bounds.height; y++) {
    const row = y * width;
    for (let x = bounds.x; x < bounds.x + bounds.width; x++) {
      const i = row + x;
      if (!hole[i]) continue;
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
export function fillHoles(rgb: Uint8Array, hole: Uint8Array, size: Size, workScale = 8): Uint8Array {
  const coarse = averageKnown(rgb, hole, size, workScale);
  return paintHoles(rgb, hole, size, coarse, pullFill(coarse));
}
