/**
 * Pure mask operations for the motion brush: binary masks, their bounds, unions, cut-outs and dilation.
 * They run once per render on raw buffers, never per frame; hole-fill.ts fills what they cut out.
 */
import type { Size } from './frame-geometry.ts';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A region as one byte a pixel (255 in, 0 out) plus a box that holds every set pixel, so later passes
 * touch only that box: masks rarely cover much of a frame.
 */
export interface BinaryMask {
  pixels: Uint8Array;
  /** Even-aligned (see evenBox); null when no pixel is set. */
  bounds: Box | null;
}

/**
 * The box from (minX, minY) to (maxX, maxY) inclusive, grown to even coordinates and sizes: ffmpeg
 * places overlays on the 4:2:0 chroma grid, so an odd position would silently shift a layer by a pixel.
 */
function evenBox(minX: number, minY: number, maxX: number, maxY: number, size: Size): Box {
  const x = Math.max(0, minX) & ~1;
  const y = Math.max(0, minY) & ~1;
  // Frame sizes are even, so rounding the far edge up to even never leaves the frame.
  const right = Math.min(size.width, (maxX + 2) & ~1);
  const bottom = Math.min(size.height, (maxY + 2) & ~1);
  return { x, y, width: right - x, height: bottom - y };
}

/**
 * Kling's rule: a mask pixel belongs to the region when it is brighter than mid-grey. The tight
 * bounds come from the same pass.
 */
export function binaryMask(grey: Uint8Array, size: Size): BinaryMask {
  const { width, height } = size;
  const pixels = new Uint8Array(width * height);
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (grey[row + x]! > 127) {
        pixels[row + x] = 255;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        maxY = y;
      }
    }
  }
  return { pixels, bounds: maxX < 0 ? null : evenBox(minX, minY, maxX, maxY, size) };
}

/** Pixels set in any of the masks. */
export function unionMasks(masks: readonly BinaryMask[], size: Size): BinaryMask {
  const pixels = new Uint8Array(size.width * size.height);
  let bounds: Box | null = null;
  for (const mask of masks) {
    const box = mask.bounds;
    if (!box) continue;
    for (let y = box.y; y < box.y + box.height; y++) {
      const row = y * size.width;
      for (let i = row + box.x; i < row + box.x + box.width; i++) pixels[i]! |= mask.pixels[i]!;
    }
    bounds = bounds
      ? evenBox(
          Math.min(bounds.x, box.x),
          Math.min(bounds.y, box.y),
          Math.max(bounds.x + bounds.width, box.x + box.width) - 1,
          Math.max(bounds.y + bounds.height, box.y + box.height) - 1,
          size,
        )
      : box;
  }
  return { pixels, bounds };
}

/** The masked pixels of an RGB frame inside `box`, as RGBA with the mask as alpha. */
export function cutOut(rgb: Uint8Array, mask: BinaryMask, size: Size, box: Box): Uint8Array {
  const out = new Uint8Array(box.width * box.height * 4);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const src = (box.y + y) * size.width + box.x + x;
      const dst = (y * box.width + x) * 4;
      out[dst] = rgb[src * 3]!;
      out[dst + 1] = rgb[src * 3 + 1]!;
      out[dst + 2] = rgb[src * 3 + 2]!;
      out[dst + 3] = mask.pixels[src]!;
    }
  }
  return out;
}

/** Grows a mask by `radius` pixels (square neighbourhood); only the box around its pixels is worked on. */
export function dilateMask(mask: BinaryMask, size: Size, radius: number): BinaryMask {
  const bounds = mask.bounds;
  if (radius <= 0 || !bounds) return { pixels: mask.pixels.slice(), bounds };
  const region = evenBox(
    bounds.x - radius,
    bounds.y - radius,
    bounds.x + bounds.width - 1 + radius,
    bounds.y + bounds.height - 1 + radius,
    size,
  );
  const crop = new Uint8Array(region.width * region.height);
  for (let y = 0; y < region.height; y++) {
    const from = (region.y + y) * size.width + region.x;
    crop.set(mask.pixels.subarray(from, from + region.width), y * region.width);
  }
  const grown = dilateWhole(crop, region, radius);
  const pixels = mask.pixels.slice();
  for (let y = 0; y < region.height; y++) {
    pixels.set(
      grown.subarray(y * region.width, (y + 1) * region.width),
      (region.y + y) * size.width + region.x,
    );
  }
  return { pixels, bounds: region };
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
