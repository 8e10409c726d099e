/**
 * renderVideo: turns a Kling image2video request's motion inputs into a real H.264 MP4 that shows
 * the motion. Node only prepares a handful of still layers (sharp, once per render); ffmpeg, a
 * child process, does every per-frame transform and the encoding, so other requests keep flowing.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
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
  cameraGraph,
  crossFadeGraph,
  type MovingLayer,
  motionBrushGraph,
  OUTPUT_LABEL,
  perspectiveFilter,
  type RawInput,
  rawInputArgs,
} from './filter-graph.ts';
import { frameCount, frameProgress, outputSize, type RenderQuality, type Size } from './frame-geometry.ts';
import { averageKnown, paintHoles, pullFill } from './hole-fill.ts';
import { type BinaryMask, binaryMask, cutOut, dilateMask, unionMasks } from './mask-ops.ts';
import { apiPointToOutput, offsetAtProgress, type Point } from './trajectory.ts';
import { createWorkDir } from './work-dir.ts';

export interface DynamicMask {
  mask: Buffer;
  /** Kling API coordinates: the start frame's native pixels, origin bottom-left (y up). */
  trajectories: Point[];
}

export interface RenderJob {
  /** Start frame bytes (PNG/JPEG). */
  image: Buffer;
  /** End frame bytes; the video cross-fades from start to end. */
  imageTail?: Buffer;
  cameraControl?: CameraControl;
  /** White = region that never moves; same aspect as the image, any resolution. */
  staticMask?: Buffer;
  dynamicMasks?: DynamicMask[];
  /** 30 for the kling-v1 family, 24 for v2. */
  fps: number;
  durationSeconds: number;
  /** std: short side 720; pro: short side 1080. */
  quality: RenderQuality;
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
const ENCODER_ARGS = [
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

type Motion =
  | { kind: 'camera'; move: CameraMove }
  | { kind: 'cross-fade'; move: CameraMove; tail: Buffer }
  | { kind: 'motion-brush'; dynamicMasks: DynamicMask[]; staticMask: Buffer | undefined };

/** Which render path a job takes; the three motion inputs are mutually exclusive, as in Kling. */
function chooseMotion(job: RenderJob): Motion {
  const dynamicMasks = job.dynamicMasks ?? [];
  const hasMasks = dynamicMasks.length > 0 || job.staticMask !== undefined;
  const given = [
    job.imageTail && 'imageTail',
    job.cameraControl && 'cameraControl',
    hasMasks && 'masks',
  ].filter(Boolean);
  if (given.length > 1) throw new RenderJobError(`${given.join(', ')} cannot be combined`);
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
  }
}

/** Renders `job` to `job.outFile` (written atomically: the file appears only once complete). */
export async function renderVideo(job: RenderJob): Promise<RenderResult> {
  const { signal } = job;
  signal?.throwIfAborted();
  const motion = chooseMotion(job);
  const frames = frameCount(job.fps, job.durationSeconds);
  const image = await imageSize(job.image);
  const size = outputSize(image, job.quality);
  const prepared = await prepareGraph(job, motion, image, size, frames);
  signal?.throwIfAborted();

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
    await writeFile(graphFile, prepared.graph);
    await runFfmpeg(
      // biome-ignore format: flag and value pairs read best side by side
      [
        '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
        ...inputArgs,
        '-filter_complex_script', graphFile,
        '-map', `[${OUTPUT_LABEL}]`,
        '-frames:v', `${frames}`,
        '-r', `${job.fps}`,
        ...ENCODER_ARGS,
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
