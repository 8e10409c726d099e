/**
 * Output geometry shared by every render path: how big the video is, how many frames it has and
 * what moment of the motion each frame shows.
 */

export type RenderQuality = 'std' | 'pro' | '4k';

export interface Size {
  width: number;
  height: number;
}

/**
 * Kling's std mode delivers 720p-class video and pro 1080p-class (reference §5.3), i.e. the short side;
 * kling-v3's 4k mode 2160p (kling-2026 §1).
 */
const SHORT_SIDE: Record<RenderQuality, number> = { std: 720, pro: 1080, '4k': 2160 };

/** yuv420p halves chroma in both directions, so libx264 needs even dimensions. */
function evenAtLeastTwo(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}

/** The output size: the image's aspect ratio, its short side set by the quality, both sides even. */
export function outputSize(image: Size, quality: RenderQuality): Size {
  if (!(image.width > 0 && image.height > 0)) {
    throw new RangeError(`image size must be positive, got ${image.width}x${image.height}`);
  }
  const shortSide = SHORT_SIDE[quality];
  if (image.width >= image.height) {
    return { width: evenAtLeastTwo((shortSide * image.width) / image.height), height: shortSide };
  }
  return { width: shortSide, height: evenAtLeastTwo((shortSide * image.height) / image.width) };
}

/** Exactly fps × duration frames, so a 5 s clip at 30 fps has 150 and never 149 or 151. */
export function frameCount(fps: number, durationSeconds: number): number {
  if (!(Number.isFinite(fps) && fps > 0)) throw new RangeError(`fps must be positive, got ${fps}`);
  if (!(Number.isFinite(durationSeconds) && durationSeconds > 0)) {
    throw new RangeError(`durationSeconds must be positive, got ${durationSeconds}`);
  }
  const frames = Math.round(fps * durationSeconds);
  if (frames < 1) throw new RangeError(`fps × duration must give at least one frame, got ${frames}`);
  return frames;
}

/**
 * Motion progress (0..1) shown by frame `index` of `frames`. The first frame is the untouched start
 * and the last frame is the motion's end, so clients that look at the final frame see the full move.
 */
export function frameProgress(index: number, frames: number): number {
  return frames > 1 ? index / (frames - 1) : 0;
}

/** One shot's frames in the whole video: `from` inclusive, `to` exclusive. */
export interface FrameRange {
  from: number;
  to: number;
}

/**
 * Where each shot starts and ends, in frames. Boundaries sit at round(fps × the seconds before them),
 * so the shots tile the video exactly (no frame lost or doubled) whatever the rounding, and whole
 * seconds at a whole frame rate land on exact frames (4 s at 24 fps starts shot 2 on frame 96).
 */
export function shotFrameRanges(fps: number, shotSeconds: readonly number[]): FrameRange[] {
  if (shotSeconds.length === 0) throw new RangeError('a multi-shot video needs at least one shot');
  const ranges: FrameRange[] = [];
  let elapsed = 0;
  let from = 0;
  for (const [i, seconds] of shotSeconds.entries()) {
    if (!(Number.isFinite(seconds) && seconds > 0)) {
      throw new RangeError(`shot ${i + 1} must last a positive time, got ${seconds}`);
    }
    elapsed += seconds;
    const to = Math.round(fps * elapsed);
    if (to <= from) throw new RangeError(`shot ${i + 1} is shorter than one frame at ${fps} fps`);
    ranges.push({ from, to });
    from = to;
  }
  return ranges;
}
