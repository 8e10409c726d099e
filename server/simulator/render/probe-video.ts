/**
 * What is really inside an MP4, read by decoding it with the same ffmpeg (the npm build ships no
 * ffprobe). Used by the tests, and useful to anyone who must report a result video's true duration.
 */
import { runFfmpeg } from './ffmpeg-process.ts';

export interface VideoProbe {
  codec: string;
  pixelFormat: string;
  width: number;
  height: number;
  fps: number;
  /** Counted by decoding every frame, not read from the header. */
  frames: number;
  /** The container's duration. */
  durationSeconds: number;
}

/** Parses the stderr of `ffmpeg -i file -f null -`: the stream line, the duration, the frame counter. */
export function parseProbe(stderr: string): VideoProbe {
  // e.g. "Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, progressive), 1280x720 [SAR 1:1 DAR 16:9], 30 fps"
  const stream =
    /Stream #\d+:\d+.*?: Video: (\w+)[^,]*, (\w+)(?:\([^)]*\))?, (\d+)x(\d+)[^\n]*?, ([\d.]+) fps/.exec(
      stderr,
    );
  const duration = /Duration: (\d+):(\d+):([\d.]+)/.exec(stderr);
  const counters = [...stderr.matchAll(/frame=\s*(\d+)/g)];
  const frames = counters[counters.length - 1]?.[1];
  if (!stream || !duration || frames === undefined)
    throw new Error(`could not parse ffmpeg's description:\n${stderr}`);
  const [, codec, pixelFormat, width, height, fps] = stream;
  const [, hours, minutes, seconds] = duration;
  return {
    codec: codec!,
    pixelFormat: pixelFormat!,
    width: Number(width),
    height: Number(height),
    fps: Number(fps),
    frames: Number(frames),
    durationSeconds: Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds),
  };
}

export async function probeVideo(file: string, signal?: AbortSignal): Promise<VideoProbe> {
  const { stderr } = await runFfmpeg(
    ['-hide_banner', '-nostdin', '-stats', '-i', file, '-map', '0:v:0', '-f', 'null', '-'],
    signal,
  );
  return parseProbe(stderr);
}
