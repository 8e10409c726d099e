/**
 * renderVideo: turns a Kling image2video request's motion inputs into a real H.264 MP4 that shows
 * the motion. Node only prepares a handful of still layers (sharp, once per render); ffmpeg, a
 * child process, does every per-frame transform and the encoding, so other requests keep flowing.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { AUDIO_ENCODER_ARGS, AUDIO_LABEL, toneBedGraph } from './audio-bed.ts';
import {
  type CameraControl,
  type CameraMove,
  moveFromCameraControl,
  PUSH_IN,
  poseAt,
  sourceQuad,
} from './camera.ts';
import { decodeMaskGrey, decodeRgb, imageSize } from './decode-image.ts';
import { runFfmpeg } from './ffmpeg-process.ts';
import {
  appendToOutput,
  cameraGraph,
  crossFadeGraph,
  type MovingLayer,
  motionBrushGraph,
  multiShotGraph,
  OUTPUT_LABEL,
  perspectiveFilter,
  type RawInput,
  rawInputArgs,
  scaleOutput,
} from './filter-graph.ts';
import {
  type FrameRange,
  frameCount,
  frameProgress,
  outputSize,
  type RenderQuality,
  type Size,
  shotFrameRanges,
} from './frame-geometry.ts';
import { averageKnown, paintHoles, pullFill } from './hole-fill.ts';
import { type BinaryMask, binaryMask, cutOut, dilateMask, unionMasks } from './mask-ops.ts';
import { multiShotQuads } from './shot-framing.ts';
import { apiPointToOutput, offsetAtProgress, type Point } from './trajectory.ts';
import { createWorkDir } from './work-dir.ts';

export interface DynamicMask {
  mask: Buffer;
  /** Kling API coordinates: the start frame's native pixels, origin bottom-left (y up). */
  trajectories: Point[];
}

export interface Shot {
  durationSeconds: number;
}

export interface RenderJob {
  /** Start frame bytes (PNG/JPEG). */
  image: Buffer;
  /**
   * End frame bytes; the video cross-fades from start to end (with `shots`: the last shot dissolves
   * into it).
   */
  imageTail?: Buffer;
  cameraControl?: CameraControl;
  /** White = region that never moves; same aspect as the image, any resolution. */
  staticMask?: Buffer;
  dynamicMasks?: DynamicMask[];
  /** 30 for the kling-v1 family, 24 for v2 and v3. */
  fps: number;
  /** Any length; Kling asks for whole seconds (3–15 on kling-v3). */
  durationSeconds: number;
  /** std: short side 720; pro: short side 1080; 4k (kling-v3): short side 2160. */
  quality: RenderQuality;
  /**
   * Multi-shot (kling-v3): the shots in order, their durations summing to `durationSeconds`, a hard cut
   * between neighbours, each a different framing and move of the start frame (shot-framing.ts).
   * Combines with `imageTail`, never with a camera or the brush.
   */
  shots?: Shot[];
  /** Sound on: an AAC track lasting the whole video (a soft tone, one pitch per shot). */
  audio?: boolean;
  outFile: string;
  signal?: AbortSignal;
}

export interface RenderResult {
  width: number;
  height: number;
  frames: number;
  durationSeconds: number;
  fps: number;
}

/** A request whose motion inputs cannot be rendered together (Kling makes them exclusive). */
export class RenderJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderJobError';
  }
}

/**
 * veryfast is as quick as ultrafast here (the warp, not x264, is the bottleneck) and its files are
 * about ten times smaller. A fixed thread count keeps the bytes identical on any machine: x264's
 * output depends on its frame-thread count, and it also bounds one render's share of the CPU.
 */
// biome-ignore format: flag and value pairs read best side by side
export const ENCODER_ARGS = [
  '-c:v', 'libx264',
  '-preset', 'veryfast',
  '-crf', '20',
  '-profile:v', 'high',
  '-pix_fmt', 'yuv420p',
  '-threads', '2',
  '-movflags', '+faststart',
  // No encoder version strings or timestamps in the container: same inputs, same bytes.
  '-fflags', '+bitexact',
  '-flags:v', '+bitexact',
  '-map_metadata', '-1',
];

/**
 * 4k's per-frame work happens at 1080p and ffmpeg's bicubic scaler lifts each finished frame to 2160p.
 * perspective rebuilds its per-pixel map on every frame on one thread: about 60 ms a 4k frame, which
 * alone made a 5 s 4k render take twice as long as all the rest of it (see README, Timings).
 */
const WORK_QUALITY: Record<RenderQuality, RenderQuality> = { std: 'std', pro: 'pro', '4k': 'pro' };

/**
 * x264 at 2160p costs four times 1080p per frame; superfast saves about a third of that against
 * veryfast, and its files, though larger, stay small for a simulator's smooth moves.
 */
const PRESET: Record<RenderQuality, string> = { std: 'veryfast', pro: 'veryfast', '4k': 'superfast' };

function encoderArgs(quality: RenderQuality): string[] {
  const args = [...ENCODER_ARGS];
  args[args.indexOf('-preset') + 1] = PRESET[quality];
  return args;
}

type Motion =
  | { kind: 'camera'; move: CameraMove }
  | { kind: 'cross-fade'; move: CameraMove; tail: Buffer }
  | { kind: 'motion-brush'; dynamicMasks: DynamicMask[]; staticMask: Buffer | undefined }
  | { kind: 'multi-shot'; shots: FrameRange[]; tail: Buffer | undefined };

/** The shots' frame ranges, once their durations are known to add up to the video's. */
function shotRanges(job: RenderJob, shots: readonly Shot[]): FrameRange[] {
  const total = shots.reduce((sum, shot) => sum + shot.durationSeconds, 0);
  if (Math.abs(total - job.durationSeconds) > 1e-6) {
    throw new RenderJobError(`the shots last ${total} s in all, the video ${job.durationSeconds} s`);
  }
  try {
    return shotFrameRanges(
      job.fps,
      shots.map((shot) => shot.durationSeconds),
    );
  } catch (error) {
    throw new RenderJobError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Which render path a job takes; the three motion inputs are mutually exclusive, as in Kling, and
 * shots combine only with an end frame.
 */
function chooseMotion(job: RenderJob): Motion {
  const dynamicMasks = job.dynamicMasks ?? [];
  const hasMasks = dynamicMasks.length > 0 || job.staticMask !== undefined;
  const given = [
    job.imageTail && 'imageTail',
    job.cameraControl && 'cameraControl',
    hasMasks && 'masks',
  ].filter(Boolean);
  if (given.length > 1) throw new RenderJobError(`${given.join(', ')} cannot be combined`);
  if (job.shots) {
    if (job.cameraControl || hasMasks) {
      throw new RenderJobError(
        `shots cannot be combined with ${job.cameraControl ? 'cameraControl' : 'masks'}`,
      );
    }
    if (job.shots.length === 0) throw new RenderJobError('shots, when given, needs at least one shot');
    return { kind: 'multi-shot', shots: shotRanges(job, job.shots), tail: job.imageTail };
  }
  if (job.cameraControl) return { kind: 'camera', move: moveFromCameraControl(job.cameraControl) };
  if (hasMasks) return { kind: 'motion-brush', dynamicMasks, staticMask: job.staticMask };
  if (job.imageTail) return { kind: 'cross-fade', move: PUSH_IN, tail: job.imageTail };
  return { kind: 'camera', move: PUSH_IN };
}

interface PreparedGraph {
  inputs: { input: RawInput; pixels: Uint8Array }[];
  graph: string;
}

function quadsFor(move: CameraMove, frames: number, size: Size) {
  return Array.from({ length: frames }, (_, i) =>
    sourceQuad(poseAt(move, frameProgress(i, frames), size), size),
  );
}

/**
 * The still background with every hole filled. Raw-buffer passes over a 1080p frame take a few
 * milliseconds each, so the work yields to the event loop between them instead of stalling other
 * requests for one long stretch.
 */
async function backgroundWithHolesFilled(
  start: Uint8Array,
  holes: BinaryMask[],
  size: Size,
): Promise<Uint8Array> {
  if (holes.length === 0) return start;
  // A few pixels of margin swallow a region's anti-aliased outline, which would otherwise stay behind.
  const margin = Math.max(1, Math.round(Math.min(size.width, size.height) / 360));
  const union = unionMasks(holes, size);
  await yieldToEventLoop();
  const hole = dilateMask(union, size, margin);
  await yieldToEventLoop();
  const coarse = averageKnown(start, hole, size);
  await yieldToEventLoop();
  const filled = pullFill(coarse);
  await yieldToEventLoop();
  return paintHoles(start, hole, size, coarse, filled);
}

async function prepareMotionBrush(
  motion: Extract<Motion, { kind: 'motion-brush' }>,
  start: Uint8Array,
  image: Size,
  size: Size,
  frames: number,
  fps: number,
): Promise<PreparedGraph> {
  // Decoding runs on sharp's threads, all masks at once; thresholding is JavaScript, one mask a turn.
  const [staticGrey, ...dynamicGreys] = await Promise.all([
    motion.staticMask ? decodeMaskGrey(motion.staticMask, size) : null,
    ...motion.dynamicMasks.map((entry) => decodeMaskGrey(entry.mask, size)),
  ]);
  const dynamic: { mask: BinaryMask; path: Point[] }[] = [];
  for (const [i, entry] of motion.dynamicMasks.entries()) {
    await yieldToEventLoop();
    dynamic.push({
      mask: binaryMask(dynamicGreys[i]!, size),
      path: entry.trajectories.map((point) => apiPointToOutput(point, image, size)),
    });
  }
  await yieldToEventLoop();
  const staticMask = staticGrey ? binaryMask(staticGrey, size) : null;

  // With only a static mask nothing would move at all; a push-in behind the pinned region shows it.
  const backgroundMoves = dynamic.length === 0;
  // Whatever leaves its place leaves a hole: the moved regions and, when the background moves, the
  // pinned static region too (else the background's own moving copy of it would peek out from
  // behind). Filled from their surroundings, regions look moved rather than cloned.
  const holes = dynamic.map((d) => d.mask);
  if (backgroundMoves && staticMask) holes.push(staticMask);
  const background = await backgroundWithHolesFilled(start, holes, size);

  const inputs: PreparedGraph['inputs'] = [
    { input: { file: 'background.rgb', pixelFormat: 'rgb24', size }, pixels: background },
  ];
  const layers: MovingLayer[] = [];
  // Overlays land on the 4:2:0 chroma grid; rounding to even here keeps the positions exact.
  const even = (value: number) => 2 * Math.round(value / 2);
  for (const [i, { mask, path }] of dynamic.entries()) {
    const box = mask.bounds;
    if (!box) continue;
    await yieldToEventLoop();
    layers.push({
      positions: Array.from({ length: frames }, (_, frame) => {
        const offset =
          path.length > 0 ? offsetAtProgress(path, frameProgress(frame, frames)) : { x: 0, y: 0 };
        return { x: box.x + even(offset.x), y: box.y + even(offset.y) };
      }),
    });
    inputs.push({
      input: {
        file: `dynamic-${i}.rgba`,
        pixelFormat: 'rgba',
        size: { width: box.width, height: box.height },
      },
      pixels: cutOut(start, mask, size, box),
    });
  }
  const staticBox = staticMask?.bounds ?? null;
  if (staticMask && staticBox) {
    inputs.push({
      input: {
        file: 'static.rgba',
        pixelFormat: 'rgba',
        size: { width: staticBox.width, height: staticBox.height },
      },
      pixels: cutOut(start, staticMask, size, staticBox),
    });
  }
  const backgroundWarp = backgroundMoves ? perspectiveFilter(quadsFor(PUSH_IN, frames, size), size) : null;
  return { inputs, graph: motionBrushGraph(frames, fps, layers, staticBox, backgroundWarp) };
}

async function prepareGraph(
  job: RenderJob,
  motion: Motion,
  image: Size,
  size: Size,
  frames: number,
): Promise<PreparedGraph> {
  const start = await decodeRgb(job.image, size);
  const startInput = { input: { file: 'start.rgb', pixelFormat: 'rgb24', size }, pixels: start } as const;
  switch (motion.kind) {
    case 'camera':
      return { inputs: [startInput], graph: cameraGraph(frames, quadsFor(motion.move, frames, size), size) };
    case 'cross-fade': {
      // The end frame is stretched onto the start frame's size, as a transition needs one canvas.
      const tail = await decodeRgb(motion.tail, size);
      return {
        inputs: [startInput, { input: { file: 'end.rgb', pixelFormat: 'rgb24', size }, pixels: tail }],
        graph: crossFadeGraph(frames, job.fps, quadsFor(motion.move, frames, size), size),
      };
    }
    case 'motion-brush':
      return prepareMotionBrush(motion, start, image, size, frames, job.fps);
    case 'multi-shot': {
      const quads = multiShotQuads(motion.shots, size);
      if (!motion.tail) return { inputs: [startInput], graph: multiShotGraph(quads, size, job.fps) };
      const tail = await decodeRgb(motion.tail, size);
      return {
        inputs: [startInput, { input: { file: 'end.rgb', pixelFormat: 'rgb24', size }, pixels: tail }],
        graph: multiShotGraph(quads, size, job.fps, {
          fromFrame: motion.shots[motion.shots.length - 1]!.from,
        }),
      };
    }
  }
}

/** The tone bed's shots: the job's, or the whole video as one. */
function audioShots(job: RenderJob, motion: Motion, frames: number): number[] {
  const ranges = motion.kind === 'multi-shot' ? motion.shots : [{ from: 0, to: frames }];
  return ranges.map((range) => (range.to - range.from) / job.fps);
}

/** Renders `job` to `job.outFile` (written atomically: the file appears only once complete). */
export async function renderVideo(job: RenderJob): Promise<RenderResult> {
  const { signal } = job;
  signal?.throwIfAborted();
  const motion = chooseMotion(job);
  const frames = frameCount(job.fps, job.durationSeconds);
  const image = await imageSize(job.image);
  const size = outputSize(image, job.quality);
  const workSize = outputSize(image, WORK_QUALITY[job.quality]);
  const prepared = await prepareGraph(job, motion, image, workSize, frames);
  signal?.throwIfAborted();
  const video = scaleOutput(prepared.graph, workSize, size);
  // With sound, the graph itself ends the video on its last frame: -frames:v would close the whole
  // file the moment that frame is written, cutting off the last AAC frames still on their way.
  const graph = job.audio
    ? [
        appendToOutput(video, `trim=end_frame=${frames}`, 'untrimmed'),
        toneBedGraph(audioShots(job, motion, frames)),
      ].join(';\n')
    : video;

  const workDir = await createWorkDir();
  await mkdir(dirname(job.outFile), { recursive: true });
  const partialFile = join(dirname(job.outFile), `.${basename(job.outFile)}.${randomUUID()}.partial`);
  try {
    const inputArgs: string[] = [];
    for (const { input, pixels } of prepared.inputs) {
      const file = join(workDir, input.file);
      await writeFile(file, pixels);
      inputArgs.push(...rawInputArgs({ ...input, file }, job.fps));
    }
    // A script file, not an argument: per-frame tables for a 10 s clip outgrow the argv limits.
    const graphFile = join(workDir, 'graph.txt');
    await writeFile(graphFile, graph);
    await runFfmpeg(
      // biome-ignore format: flag and value pairs read best side by side
      [
        '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
        ...inputArgs,
        '-filter_complex_script', graphFile,
        '-map', `[${OUTPUT_LABEL}]`,
        ...(job.audio ? ['-map', `[${AUDIO_LABEL}]`] : ['-frames:v', `${frames}`]),
        '-r', `${job.fps}`,
        ...encoderArgs(job.quality),
        ...(job.audio ? AUDIO_ENCODER_ARGS : ['-an']),
        '-f', 'mp4', partialFile,
      ],
      signal,
    );
    await rename(partialFile, job.outFile);
  } finally {
    await Promise.all([rm(workDir, { recursive: true, force: true }), rm(partialFile, { force: true })]);
  }
  return { width: size.width, height: size.height, frames, durationSeconds: frames / job.fps, fps: job.fps };
}
