/**
 * Counts the hard cuts in a video, for tests (and the e2e journey's check of a downloaded MP4): ffmpeg
 * decodes a small grey copy, and a cut is a frame that differs from the one before both a lot and far
 * more than its neighbours do. A push-in or a pan changes a 64-pixel-wide copy by well under a grey
 * level a frame; a cut to another framing of a textured picture by ten or more. A quick dissolve can
 * change every frame a lot too, but evenly, so the neighbour test keeps it from counting.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFfmpeg } from './ffmpeg-process.ts';
import { parseProbe } from './probe-video.ts';

export interface CutOptions {
  /** Mean absolute grey difference (0–255) a frame must reach to count as a cut. */
  threshold?: number;
  /** …and how many times the larger of its neighbours' differences it must be. */
  ratio?: number;
}

export interface Cut {
  /** The first frame of the new shot (0-based). */
  frame: number;
  seconds: number;
  difference: number;
}

export interface CutReport {
  frames: number;
  fps: number;
  /** Mean absolute grey difference of each frame from the one before; entry 0 is frame 1's. */
  differences: number[];
  cuts: Cut[];
}

export const CUT_THRESHOLD = 8;
export const CUT_RATIO = 4;

/** The grey copy's size: enough to see a cut, small enough to decode a 15 s video in a blink. */
const GREY_SIZE = { width: 64, height: 36 };

/** Mean absolute difference between consecutive frames of equal length. */
export function frameDifferences(frames: readonly Uint8Array[]): number[] {
  const differences: number[] = [];
  for (let i = 1; i < frames.length; i++) {
    const a = frames[i - 1]!;
    const b = frames[i]!;
    let sum = 0;
    for (let p = 0; p < b.length; p++) sum += Math.abs(b[p]! - a[p]!);
    differences.push(sum / b.length);
  }
  return differences;
}

/**
 * The frames where a cut happens: the index of the new shot's first frame in the video, i.e. one more
 * than the difference's own index.
 */
export function cutsIn(differences: readonly number[], options: CutOptions = {}): number[] {
  const threshold = options.threshold ?? CUT_THRESHOLD;
  const ratio = options.ratio ?? CUT_RATIO;
  const cuts: number[] = [];
  differences.forEach((difference, i) => {
    const neighbours = Math.max(differences[i - 1] ?? 0, differences[i + 1] ?? 0);
    if (difference >= threshold && difference >= ratio * neighbours) cuts.push(i + 1);
  });
  return cuts;
}

/** Decodes `file` to a small grey copy and finds its cuts. */
export async function detectCuts(
  file: string,
  options: CutOptions = {},
  signal?: AbortSignal,
): Promise<CutReport> {
  const dir = await mkdtemp(join(tmpdir(), 'cut-detect-'));
  try {
    const raw = join(dir, 'grey.raw');
    const { width, height } = GREY_SIZE;
    const { stderr } = await runFfmpeg(
      // biome-ignore format: flag and value pairs read best side by side
      [
        '-hide_banner', '-nostdin', '-stats', '-i', file,
        '-map', '0:v:0',
        '-vf', `scale=${width}:${height}:flags=area,format=gray`,
        '-f', 'rawvideo', '-pix_fmt', 'gray', raw,
      ],
      signal,
    );
    const { fps } = parseProbe(stderr);
    const bytes = await readFile(raw);
    const frameBytes = width * height;
    const frames: Uint8Array[] = [];
    for (let offset = 0; offset + frameBytes <= bytes.length; offset += frameBytes) {
      frames.push(new Uint8Array(bytes.buffer, bytes.byteOffset + offset, frameBytes));
    }
    const differences = frameDifferences(frames);
    const cuts = cutsIn(differences, options).map((frame) => ({
      frame,
      seconds: frame / fps,
      difference: differences[frame - 1]!,
    }));
    return { frames: frames.length, fps, differences, cuts };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
