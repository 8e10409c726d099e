/**
 * renderMotionTransfer: Kling's motion control, simulated. The character picture moves the way the
 * reference clip's dominant motion moves (shifted with it, scaled as it grows or shrinks) for as long as
 * the clip lasts, over a dimmed, blurred copy of itself where the moved picture no longer covers the
 * frame. ffmpeg decodes a small grey copy of the reference, Node measures the motion on it
 * (motion-track.ts), and ffmpeg again warps and encodes every frame: no frame is drawn in JavaScript.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type CameraPose, sourceQuad } from './camera.ts';
import { decodeRgb, imageSize } from './decode-image.ts';
import { runFfmpeg } from './ffmpeg-process.ts';
import { OUTPUT_LABEL, perspectiveFilter, rawInputArgs } from './filter-graph.ts';
import { frameCount, outputSize, type RenderQuality, type Size } from './frame-geometry.ts';
import { followPoses, type GreyClip, trackMotion } from './motion-track.ts';
// The same encoder settings as image2video renders: identical jobs give identical bytes.
import { ENCODER_ARGS, type RenderResult } from './render-video.ts';
import { createWorkDir } from './work-dir.ts';

export interface TransferJob {
  /** The character picture (PNG/JPEG bytes). */
  image: Buffer;
  /** The reference video (mp4/mov) on disk. */
  referenceFile: string;
  /** The output's length: the reference's, already capped by the rules. */
  durationSeconds: number;
  fps: number;
  /** std: short side 720; pro: short side 1080. */
  quality: RenderQuality;
  /** Encode the reference's audio track (when it has one) into the output. */
  keepSound: boolean;
  outFile: string;
  signal?: AbortSignal;
}

/** The grey copy's long side: enough to place a subject to a fraction of a percent of the frame. */
const TRACK_LONG_SIDE = 96;

/**
 * Transparent pixels around the picture. ffmpeg's perspective repeats the edge pixels wherever it
 * samples outside its input; with a transparent edge, outside the picture is see-through.
 */
const EDGE = 2;

/**
 * The reference's first `frames` frames at `fps`, area-averaged down to a grey copy whose long side is
 * TRACK_LONG_SIDE. The size is read from ffmpeg's own description of its output, which already
 * accounts for a phone clip's rotation.
 */
async function decodeGreyReference(job: TransferJob, frames: number, workDir: string): Promise<GreyClip> {
  const file = join(workDir, 'reference.gray');
  const n = TRACK_LONG_SIDE;
  const { stderr } = await runFfmpeg(
    // biome-ignore format: flag and value pairs read best side by side
    [
      '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-y',
      '-t', `${job.durationSeconds}`, '-i', job.referenceFile,
      '-map', '0:v:0',
      '-vf', `fps=${job.fps},scale=w='if(gte(iw,ih),${n},-2)':h='if(gte(iw,ih),-2,${n})':flags=area,format=gray`,
      '-frames:v', `${frames}`,
      '-f', 'rawvideo', '-pix_fmt', 'gray', file,
    ],
    job.signal,
  );
  const described = /Output #0[\s\S]*?Video: rawvideo[^\n]*?, (\d+)x(\d+)/.exec(stderr);
  if (!described) throw new Error(`could not read the reference's tracking size from ffmpeg:\n${stderr}`);
  const size = { width: Number(described[1]), height: Number(described[2]) };
  const bytes = await readFile(file);
  const count = Math.floor(bytes.length / (size.width * size.height));
  if (count === 0) throw new Error('the reference video has no frames to follow');
  return { size, frames: count, pixels: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) };
}

const even = (value: number) => Math.max(2, 2 * Math.round(value / 2));

/**
 * Input 0 (the picture, one raw frame) over its own backdrop, warped by one pose per frame. Everything
 * before `loop` runs once; only the warp and the overlay run per frame.
 */
export function transferGraph(poses: readonly CameraPose[], size: Size): string {
  const frames = poses.length;
  const hold = `loop=loop=${frames - 1}:size=1:start=0`;
  const padded = { width: size.width + 2 * EDGE, height: size.height + 2 * EDGE };
  // The same transform on the padded canvas: its centre is the picture's centre.
  const warp = perspectiveFilter(
    poses.map((pose) => sourceQuad(pose, padded)),
    padded,
  );
  if (!warp) return `[0:v]format=yuv420p,${hold}[${OUTPUT_LABEL}]`;
  // Blurred small (cheap) and dimmed, so the picture that moves stays the one you look at.
  const small = { width: even(size.width / 8), height: even(size.height / 8) };
  return [
    '[0:v]split=2[picture][backdrop]',
    `[backdrop]scale=${small.width}:${small.height}:flags=area,boxblur=4:2,scale=${size.width}:${size.height}:flags=bilinear,format=yuv420p,lutyuv=y=16+(val-16)*0.45,${hold}[behind]`,
    `[picture]format=yuva420p,pad=w=${padded.width}:h=${padded.height}:x=${EDGE}:y=${EDGE}:color=black@0,${hold},${warp},crop=${size.width}:${size.height}:${EDGE}:${EDGE}[moving]`,
    `[behind][moving]overlay=format=yuv420,format=yuv420p[${OUTPUT_LABEL}]`,
  ].join(';\n');
}

/** Renders `job` to `job.outFile` (written atomically: the file appears only once complete). */
export async function renderMotionTransfer(job: TransferJob): Promise<RenderResult> {
  const { signal } = job;
  signal?.throwIfAborted();
  const frames = frameCount(job.fps, job.durationSeconds);
  const size = outputSize(await imageSize(job.image), job.quality);

  const workDir = await createWorkDir();
  await mkdir(dirname(job.outFile), { recursive: true });
  const partialFile = join(dirname(job.outFile), `.${basename(job.outFile)}.${randomUUID()}.partial`);
  try {
    // sharp decodes the picture on its threads while ffmpeg decodes the reference.
    const [picture, clip] = await Promise.all([
      decodeRgb(job.image, size),
      decodeGreyReference(job, frames, workDir),
    ]);
    const track = await trackMotion(clip, signal);
    const still: CameraPose = { scale: 1, rotationRad: 0, shiftX: 0, shiftY: 0 };
    const poses = track
      ? followPoses(track, clip.size, size, frames)
      : Array.from({ length: frames }, () => still);
    signal?.throwIfAborted();

    const pictureFile = join(workDir, 'picture.rgb');
    const graphFile = join(workDir, 'graph.txt');
    await Promise.all([writeFile(pictureFile, picture), writeFile(graphFile, transferGraph(poses, size))]);
    // The sound is cut at the output's length by -t; -shortest would instead cut the video when the
    // audio track ends a little early, and the video must have all its frames.
    const audio = job.keepSound
      ? {
          input: ['-t', `${frames / job.fps}`, '-i', job.referenceFile],
          output: ['-map', '1:a:0?', '-c:a', 'aac', '-b:a', '128k'],
        }
      : { input: [], output: ['-an'] };
    await runFfmpeg(
      // biome-ignore format: flag and value pairs read best side by side
      [
        '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
        ...rawInputArgs({ file: pictureFile, pixelFormat: 'rgb24', size }, job.fps),
        ...audio.input,
        '-filter_complex_script', graphFile,
        '-map', `[${OUTPUT_LABEL}]`,
        '-frames:v', `${frames}`,
        '-r', `${job.fps}`,
        ...ENCODER_ARGS,
        ...audio.output,
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
