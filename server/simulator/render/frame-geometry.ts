/**
 * Output geometry shared by every render path: how big the video is, how many frames it has and
 * what moment of the motion each frame shows.
 */

export type RenderQuality = 'std' | 'pro';

export interface Size {
  width: number;
  height: number;
}

/** Kling's std mode delivers 720p-class video and pro 1080p-class (reference §5.3), i.e. the short side. */
const SHORT_SIDE: Record<RenderQuality, number> = { std: 720, pro: 1080 };

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
