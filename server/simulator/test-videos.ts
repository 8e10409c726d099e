/**
 * Reference videos for tests and benchmarks, made on the spot with the bundled ffmpeg: a white square
 * (the "blob") moving over a dark background, optionally growing, optionally with a sine tone as audio.
 * Tests know exactly how the blob moves, so they can check that a motion transfer follows it.
 */
import { runFfmpeg } from './render/ffmpeg-process.ts';

/** A point as a fraction of the frame: (0, 0) top-left, (1, 1) bottom-right. */
export interface FramePoint {
  x: number;
  y: number;
}

export interface TestVideoSpec {
  width?: number;
  height?: number;
  seconds?: number;
  fps?: number;
  /** Container: `mp4` (brand isom) or `mov` (brand `qt  `). */
  format?: 'mp4' | 'mov';
  /** A 440 Hz tone as an AAC track. */
  audio?: boolean;
  /** The blob's centre at the start and at the end (fractions of the frame); it moves linearly. */
  from?: FramePoint;
  to?: FramePoint;
  /** The blob's side as a fraction of the frame's short side, at the start and at the end. */
  size?: number;
  sizeTo?: number;
  /** moov before mdat (`-movflags +faststart`); default false, as most cameras write it. */
  faststart?: boolean;
}

export const TEST_VIDEO_DEFAULTS = {
  width: 480,
  height: 360,
  seconds: 4,
  fps: 24,
  format: 'mp4',
  audio: false,
  from: { x: 0.25, y: 0.5 },
  to: { x: 0.75, y: 0.5 },
  size: 0.25,
} as const;

/** Writes the video to `file` and returns the spec with every default filled in. */
export async function makeTestVideo(
  file: string,
  spec: TestVideoSpec = {},
): Promise<Required<TestVideoSpec>> {
  const s = {
    ...TEST_VIDEO_DEFAULTS,
    sizeTo: spec.size ?? TEST_VIDEO_DEFAULTS.size,
    faststart: false,
    ...spec,
  } as Required<TestVideoSpec>;
  const short = Math.min(s.width, s.height);
  const d = s.seconds;
  // Linear in time (geq's T) over the clip: the blob's side and centre, in pixels.
  const lerp = (a: number, b: number) => `(${a.toFixed(2)}+${(b - a).toFixed(2)}*T/${d})`;
  const side = lerp(s.size * short, s.sizeTo * short);
  const cx = lerp(s.from.x * s.width, s.to.x * s.width);
  const cy = lerp(s.from.y * s.height, s.to.y * s.height);
  const blob = `between(X,${cx}-${side}/2,${cx}+${side}/2)*between(Y,${cy}-${side}/2,${cy}+${side}/2)`;
  const graph = [
    `color=c=0x202020:s=${s.width}x${s.height}:r=${s.fps}:d=${d},format=gray`,
    `geq=lum='if(${blob},235,32)'`,
    'format=yuv420p',
  ].join(',');
  const args = ['-hide_banner', '-nostdin', '-y', '-f', 'lavfi', '-i', graph];
  if (s.audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${d}`);
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-threads', '1', '-pix_fmt', 'yuv420p');
  if (s.audio) args.push('-c:a', 'aac', '-b:a', '64k', '-shortest');
  if (s.faststart) args.push('-movflags', '+faststart');
  args.push('-f', s.format, file);
  await runFfmpeg(args);
  return s;
}
