/**
 * The dominant motion of a reference clip, measured on a small grey copy of it (ffmpeg makes the
 * copy; see motion-transfer.ts): where the moving region is in every frame and how big it is, then
 * as camera poses that move a picture the same way.
 *
 * "Moving" means a pixel's brightness changes within a few frames around the frame in question. A
 * per-pixel median background would give a cleaner silhouette of a subject that wanders about, but
 * it takes whatever stays put for half the clip (a body dancing on the spot, a subject walking towards
 * the camera) for background, and then sees the hole that subject leaves as the moving thing.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { CameraPose } from './camera.ts';
import type { Size } from './frame-geometry.ts';

/** `frames` grey frames of `size`, one byte a pixel, back to back. */
export interface GreyClip {
  size: Size;
  frames: number;
  pixels: Uint8Array;
}

/**
 * The moving region in one frame, in clip pixels: the centre and size of its bounding box (trimmed).
 * Not its centre of mass: while a region moves, what changes are its leading and trailing edges, and
 * at this scale one edge is often a pixel thicker than the other, which would pull the centre of mass
 * towards it by a quarter of the region's size.
 */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const TRACKING = {
  /** Frames on each side of a frame that are compared with it (at 24 fps, ±1/12 s). */
  halfWindow: 2,
  /** Grey levels a pixel must change by to count as moving: above compression noise on a small copy. */
  threshold: 24,
  /** The share of a frame that must move for the frame to have a region at all. */
  minMovingShare: 0.002,
  /** Share of the moving pixels trimmed off each side of the extent, so a few stray pixels do not count. */
  trim: 0.02,
  /** Frames averaged on each side when smoothing the track (at 24 fps, ±1/8 s). */
  smoothRadius: 3,
} as const;

/** How far the picture may grow or shrink with the subject: beyond this it is the subject, not the picture. */
export const SCALE_LIMITS = { min: 1 / 3, max: 3 } as const;

/** First and last index at which a histogram's running total passes `trimmed` from either end. */
function trimmedSpan(histogram: Uint32Array, trimmed: number): [number, number] {
  let lo = 0;
  for (let sum = 0; lo < histogram.length - 1; lo++) {
    sum += histogram[lo]!;
    if (sum > trimmed) break;
  }
  let hi = histogram.length - 1;
  for (let sum = 0; hi > lo; hi--) {
    sum += histogram[hi]!;
    if (sum > trimmed) break;
  }
  return [lo, hi];
}

/**
 * The region whose pixels change by more than the threshold between frames `from` and `to`
 * (inclusive), or null when too little moves. While something moves, the region covers every place
 * it passed through in the window, not just where it is (trackMotion takes that off).
 */
function changedRegion(clip: GreyClip, from: number, to: number): Region | null {
  const { width, height } = clip.size;
  const area = width * height;
  const columns = new Uint32Array(width);
  const rows = new Uint32Array(height);
  let count = 0;
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      let min = 255;
      let max = 0;
      for (let f = from, i = from * area + p; f <= to; f++, i += area) {
        const v = clip.pixels[i]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max - min > TRACKING.threshold) {
        count++;
        columns[x]!++;
        rows[y]!++;
      }
    }
  }
  if (count === 0 || count < TRACKING.minMovingShare * area) return null;
  const trimmed = count * TRACKING.trim;
  const [left, right] = trimmedSpan(columns, trimmed);
  const [top, bottom] = trimmedSpan(rows, trimmed);
  // Pixel edges: a region covering only column x spans x to x + 1.
  return {
    x: (left + right + 1) / 2,
    y: (top + bottom + 1) / 2,
    width: right - left + 1,
    height: bottom - top + 1,
  };
}

/** Frames with no region take values interpolated from their nearest neighbours that have one. */
function fillGaps(raw: readonly (Region | null)[]): Region[] | null {
  const known = raw.flatMap((region, frame) => (region ? [frame] : []));
  if (known.length === 0) return null;
  return raw.map((region, frame) => {
    if (region) return region;
    const after = known.find((k) => k > frame);
    const before = known.findLast((k) => k < frame);
    if (before === undefined) return raw[after!]!;
    if (after === undefined) return raw[before]!;
    const a = raw[before]!;
    const b = raw[after]!;
    const t = (frame - before) / (after - before);
    const mix = (p: number, q: number) => p + (q - p) * t;
    return {
      x: mix(a.x, b.x),
      y: mix(a.y, b.y),
      width: mix(a.width, b.width),
      height: mix(a.height, b.height),
    };
  });
}

/** A centred moving average whose window shrinks at the ends, so the ends are not pulled inwards. */
function smooth(track: readonly Region[], radius: number): Region[] {
  return track.map((_, frame) => {
    const r = Math.min(radius, frame, track.length - 1 - frame);
    const sum = { x: 0, y: 0, width: 0, height: 0 };
    for (let f = frame - r; f <= frame + r; f++) {
      const region = track[f]!;
      sum.x += region.x;
      sum.y += region.y;
      sum.width += region.width;
      sum.height += region.height;
    }
    const n = 2 * r + 1;
    return { x: sum.x / n, y: sum.y / n, width: sum.width / n, height: sum.height / n };
  });
}

/**
 * The moving region of every frame of `clip`, smoothed, or null when nothing in the clip moves.
 * Runs on the event loop, one frame a turn: a 30 s clip of a 96-pixel copy is tens of milliseconds.
 */
export async function trackMotion(clip: GreyClip, signal?: AbortSignal): Promise<Region[] | null> {
  const last = clip.frames - 1;
  if (last < 1) return null;
  const windows = Array.from({ length: clip.frames }, (_, frame) => ({
    from: Math.max(0, frame - TRACKING.halfWindow),
    to: Math.min(last, frame + TRACKING.halfWindow),
  }));
  const raw: (Region | null)[] = [];
  for (const { from, to } of windows) {
    await yieldToEventLoop();
    signal?.throwIfAborted();
    raw.push(changedRegion(clip, from, to));
  }
  // A region moving across the window is stretched by the distance it travelled there; take that off,
  // or a subject would seem to grow whenever it speeds up.
  const swept = raw.map((region, frame) => {
    const { from, to } = windows[frame]!;
    const start = raw[from];
    const end = raw[to];
    if (!region || !start || !end) return region;
    return {
      ...region,
      width: Math.max(1, region.width - Math.abs(end.x - start.x)),
      height: Math.max(1, region.height - Math.abs(end.y - start.y)),
    };
  });
  const filled = fillGaps(swept);
  return filled && smooth(filled, TRACKING.smoothRadius);
}

/**
 * Poses that move a picture of size `output` as the tracked region moves in the clip: shifted by the
 * region's travel since the first frame and scaled by how much its extent grew, so the first pose is
 * the untouched picture. The clip is fitted inside the output (one scale for both axes, so a circle
 * stays a circle): a subject crossing half the reference crosses about half of the picture's frame.
 * One pose per frame; a track shorter than `frames` holds its last position.
 */
export function followPoses(
  track: readonly Region[],
  clip: Size,
  output: Size,
  frames: number,
): CameraPose[] {
  const first = track[0];
  if (!first) throw new RangeError('a motion track needs at least one frame');
  const pixels = Math.min(output.width / clip.width, output.height / clip.height);
  return Array.from({ length: frames }, (_, frame) => {
    const region = track[Math.min(frame, track.length - 1)]!;
    const growth = Math.sqrt((region.width / first.width) * (region.height / first.height));
    return {
      scale: Math.min(SCALE_LIMITS.max, Math.max(SCALE_LIMITS.min, growth)),
      rotationRad: 0,
      shiftX: (region.x - first.x) * pixels,
      shiftY: (region.y - first.y) * pixels,
    };
  });
}
