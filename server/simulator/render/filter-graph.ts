/**
 * ffmpeg filter graphs for each kind of motion. The motion itself is computed in TypeScript
 * (camera.ts, trajectory.ts) and handed to ffmpeg as per-frame tables, so ffmpeg does all per-frame
 * pixel work in its own process and one piece of code decides where everything is at every frame.
 */

import type { SourceQuad } from './camera.ts';
import type { Size } from './frame-geometry.ts';
import type { Box } from './mask-ops.ts';
import type { Point } from './trajectory.ts';

/** The graph's final pad; render-video maps it to the encoder. */
export const OUTPUT_LABEL = 'out';

export interface RawInput {
  file: string;
  pixelFormat: 'rgb24' | 'rgba';
  size: Size;
}

/** A still picture stored as one raw frame: nothing to decode, nothing for ffmpeg to probe wrongly. */
export function rawInputArgs(input: RawInput, fps: number): string[] {
  const { file, pixelFormat, size } = input;
  return [
    '-f',
    'rawvideo',
    '-pix_fmt',
    pixelFormat,
    '-s',
    `${size.width}x${size.height}`,
    '-framerate',
    `${fps}`,
    '-i',
    file,
  ];
}

function formatNumber(value: number, decimals: number): string {
  const text = Number(value.toFixed(decimals)).toString();
  // Parenthesised so "cond*(-3)" never depends on how an ffmpeg version parses a unary minus.
  return value < 0 && text !== '0' ? `(${text})` : text;
}

/**
 * A table of per-frame values as an ffmpeg expression of a 0-based frame index expression.
 * Runs of equal values collapse into one range test, and the first and last values extend past the
 * ends, so an ffmpeg whose frame counter starts one off still gets sane values rather than zeros.
 */
export function perFrameExpression(values: readonly number[], index: string, decimals = 3): string {
  if (values.length === 0) throw new RangeError('a per-frame table needs at least one frame');
  const runs: { from: number; to: number; text: string }[] = [];
  values.forEach((value, frame) => {
    const text = formatNumber(value, decimals);
    const last = runs[runs.length - 1];
    if (last && last.text === text) last.to = frame;
    else runs.push({ from: frame, to: frame, text });
  });
  if (runs.length === 1) return runs[0]!.text;
  return runs
    .map((run, i) => {
      const condition =
        i === 0
          ? `lte(${index},${run.to})`
          : i === runs.length - 1
            ? `gte(${index},${run.from})`
            : run.from === run.to
              ? `eq(${index},${run.from})`
              : `between(${index},${run.from},${run.to})`;
      return `${condition}*${run.text}`;
    })
    .join('+');
}

/** Repeats a one-frame input `frames` times, with clean timestamps 0, 1, 2 … in 1/fps units. */
function holdStill(frames: number): string {
  return `loop=loop=${frames - 1}:size=1:start=0`;
}

function isIdentity(quad: SourceQuad, size: Size): boolean {
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;
  const { topLeft: a, topRight: b, bottomLeft: c, bottomRight: d } = quad;
  return (
    close(a.x, 0) &&
    close(a.y, 0) &&
    close(b.x, size.width) &&
    close(b.y, 0) &&
    close(c.x, 0) &&
    close(c.y, size.height) &&
    close(d.x, size.width) &&
    close(d.y, size.height)
  );
}

/**
 * A per-frame warp: each frame samples the source quad (sub-pixel, bilinear) into the full frame.
 * ffmpeg's perspective counts `in` from 1, hence the index `in-1`. Null when nothing moves.
 */
export function perspectiveFilter(quads: readonly SourceQuad[], size: Size): string | null {
  if (quads.every((quad) => isIdentity(quad, size))) return null;
  const index = 'in-1';
  const corner = (pick: (quad: SourceQuad) => number) => `'${perFrameExpression(quads.map(pick), index)}'`;
  return [
    `perspective=x0=${corner((q) => q.topLeft.x)}`,
    `y0=${corner((q) => q.topLeft.y)}`,
    `x1=${corner((q) => q.topRight.x)}`,
    `y1=${corner((q) => q.topRight.y)}`,
    `x2=${corner((q) => q.bottomLeft.x)}`,
    `y2=${corner((q) => q.bottomLeft.y)}`,
    `x3=${corner((q) => q.bottomRight.x)}`,
    `y3=${corner((q) => q.bottomRight.y)}`,
    'interpolation=linear:sense=source:eval=frame',
  ].join(':');
}

function chain(filters: readonly (string | null)[]): string {
  return filters.filter((filter): filter is string => filter !== null).join(',');
}

/**
 * A still converted once, then repeated: converting after `loop` would redo the RGB → YUV conversion
 * on every frame (about 13 ms a 4k frame) for the same result.
 */
function stillAs(pixelFormat: 'yuv420p' | 'yuva420p', frames: number): string {
  return `format=${pixelFormat},${holdStill(frames)}`;
}

/** Input 0 (the start frame) moved by the camera quads. */
export function cameraGraph(frames: number, quads: readonly SourceQuad[], size: Size): string {
  return `[0:v]${chain([stillAs('yuv420p', frames), perspectiveFilter(quads, size), 'format=yuv420p'])}[${OUTPUT_LABEL}]`;
}

/**
 * Input 0 (the start frame) as several shots: `quads` holds every frame of every shot, so a cut is
 * just a jump in the table. With `tail`, input 1 (the end frame, unwarped) fades in by timestamp
 * over the last shot, from transparent on its first frame (the cut itself stays hard) to opaque on
 * the video's last frame, which is then exactly the end frame.
 */
export function multiShotGraph(
  quads: readonly SourceQuad[],
  size: Size,
  fps: number,
  tail?: { fromFrame: number },
): string {
  const frames = quads.length;
  const shots = chain([stillAs('yuv420p', frames), perspectiveFilter(quads, size), 'format=yuv420p']);
  if (!tail) return `[0:v]${shots}[${OUTPUT_LABEL}]`;
  const fadeFrames = frames - 1 - tail.fromFrame;
  const fade =
    fadeFrames > 0
      ? `fade=t=in:st=${(tail.fromFrame / fps).toFixed(6)}:d=${(fadeFrames / fps).toFixed(6)}:alpha=1`
      : null;
  return [
    `[0:v]${shots}[shots]`,
    `[1:v]${chain([stillAs('yuva420p', frames), fade])}[end]`,
    `[shots][end]overlay=format=yuv420,format=yuv420p[${OUTPUT_LABEL}]`,
  ].join(';\n');
}

/** Runs `filters` after the end of `graph` (which ends in [out]), its old end renamed `label`. */
export function appendToOutput(graph: string, filters: string, label: string): string {
  const suffix = `[${OUTPUT_LABEL}]`;
  if (!graph.endsWith(suffix)) throw new Error(`a graph to extend must end in ${suffix}`);
  return `${graph.slice(0, -suffix.length)}[${label}];\n[${label}]${filters}${suffix}`;
}

/**
 * Ends `graph` with a resize to `size`, for renders whose frames are warped at a smaller working size
 * than they are delivered at.
 */
export function scaleOutput(graph: string, from: Size, to: Size): string {
  if (from.width === to.width && from.height === to.height) return graph;
  return appendToOutput(graph, `scale=${to.width}:${to.height}:flags=bicubic,format=yuv420p`, 'work');
}

/**
 * Input 0 (start) dissolving into input 1 (end) while the camera quads move both. The end frame's
 * alpha fades in by timestamp so the last frame is exactly the end frame.
 */
export function crossFadeGraph(
  frames: number,
  fps: number,
  quads: readonly SourceQuad[],
  size: Size,
): string {
  const fadeSeconds = (frames - 1) / fps;
  const fade = frames > 1 ? `fade=t=in:st=0:d=${fadeSeconds.toFixed(6)}:alpha=1` : null;
  return [
    `[0:v]${stillAs('yuv420p', frames)}[start]`,
    `[1:v]${chain([stillAs('yuva420p', frames), fade])}[end]`,
    `[start][end]${chain(['overlay=format=yuv420', 'format=yuv420p', perspectiveFilter(quads, size), 'format=yuv420p'])}[${OUTPUT_LABEL}]`,
  ].join(';\n');
}

export interface MovingLayer {
  /** Top-left corner of the layer in output pixels, one entry per frame; even integers. */
  positions: readonly Point[];
}

/**
 * Input 0 (background) with inputs 1..n (the moving cut-outs, drawn in order) and, when `staticBox`
 * is given, input n+1 (the static region) on top. The cut-outs are single frames: overlay keeps
 * drawing a finished input's last frame, and only its position changes per frame. `backgroundWarp`
 * (a perspectiveFilter) moves the background alone.
 */
export function motionBrushGraph(
  frames: number,
  fps: number,
  layers: readonly MovingLayer[],
  staticBox: Box | null,
  backgroundWarp: string | null = null,
): string {
  // Overlay's frame counter is 1-based in some ffmpeg versions; the timestamp is not ambiguous.
  const index = `round(t*${fps})`;
  const parts = [`[0:v]${chain([stillAs('yuv420p', frames), backgroundWarp])}[base0]`];
  let current = 'base0';
  layers.forEach((layer, i) => {
    const x = perFrameExpression(
      layer.positions.map((p) => p.x),
      index,
      0,
    );
    const y = perFrameExpression(
      layer.positions.map((p) => p.y),
      index,
      0,
    );
    const next = `base${i + 1}`;
    parts.push(`[${current}][${i + 1}:v]overlay=x='${x}':y='${y}':eval=frame:format=yuv420[${next}]`);
    current = next;
  });
  if (staticBox) {
    const next = 'static';
    parts.push(
      `[${current}][${layers.length + 1}:v]overlay=x=${staticBox.x}:y=${staticBox.y}:format=yuv420[${next}]`,
    );
    current = next;
  }
  parts.push(`[${current}]format=yuv420p[${OUTPUT_LABEL}]`);
  return parts.join(';\n');
}
