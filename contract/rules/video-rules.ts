import { type CharacterOrientation, maxReferenceMs } from '../capabilities/motion-control.ts';
import { sniffFormat } from '../images/sniff.ts';
import { LIMITS } from '../limits.ts';
import type { Violation } from '../schemas/studio-api.ts';
import type { VideoFacts } from '../video/container-header.ts';
import { fieldLabel } from './field-labels.ts';

/** Rounded up, as the one message that uses it is "over the limit": 100 MB + 1 byte reads 100.1 MB. */
function mb(bytes: number): string {
  return `${(Math.ceil((bytes / (1024 * 1024)) * 10) / 10).toFixed(1)} MB`;
}
/**
 * "10.1 s". A limit's message rounds away from the limit (`up` for too long, `down` for too short), so
 * 10 001 ms never reads "10 s is longer than 10 s".
 */
export const seconds = (ms: number, round: 'nearest' | 'up' | 'down' = 'nearest') => {
  const tenths =
    round === 'up' ? Math.ceil(ms / 100) : round === 'down' ? Math.floor(ms / 100) : Math.round(ms / 100);
  return `${(tenths / 10).toString()} s`;
};

const IMAGE_WORDS: Record<string, string> = {
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  svg: 'an SVG image',
};

/**
 * Rules on a reference video's facts (kling-2026.md §2). `orientation` decides the longest allowed
 * clip; without it (an upload, before the creator has chosen) the longest any orientation allows.
 * `head` (the file's first bytes) lets the message say what a refused file really is.
 */
export function videoFactRules(
  field: string,
  f: VideoFacts,
  orientation?: CharacterOrientation,
  head?: Uint8Array,
): Violation[] {
  const out: Violation[] = [];
  const v = (rule: string, message: string) =>
    out.push({ field, rule, message: `${fieldLabel(field)}: ${message}` });
  if (f.bytes === 0) {
    v('video_empty', 'the file is empty');
    return out;
  }
  if (f.format === 'unknown') {
    const image = head ? IMAGE_WORDS[sniffFormat(head)] : undefined;
    v('video_format', `must be an MP4 or MOV video, but this is ${image ?? 'not a video Kling can read'}`);
    return out;
  }
  if (f.bytes > LIMITS.videoMaxBytes)
    v('video_too_large', `${mb(f.bytes)} is over the ${LIMITS.videoMaxBytes / (1024 * 1024)} MB limit`);
  if (f.width === 0 || f.height === 0 || f.durationMs === 0) {
    v(
      'video_unreadable',
      'the video header is damaged or has no picture track, so its size and length cannot be read',
    );
    return out;
  }
  if (f.width < LIMITS.videoMinSide || f.height < LIMITS.videoMinSide)
    v(
      'video_too_small',
      `${f.width}×${f.height} px is below the ${LIMITS.videoMinSide} px minimum for each side`,
    );
  if (f.width > LIMITS.videoMaxSide || f.height > LIMITS.videoMaxSide)
    v(
      'video_too_big',
      `${f.width}×${f.height} px is over the ${LIMITS.videoMaxSide} px maximum for each side`,
    );
  if (f.durationMs < LIMITS.videoMinMs)
    v(
      'video_too_short',
      `${seconds(f.durationMs, 'down')} is shorter than the ${LIMITS.videoMinMs / 1000} s minimum`,
    );
  const max = maxReferenceMs(orientation ?? 'video');
  if (f.durationMs > max)
    v(
      'video_too_long',
      orientation === 'image'
        ? `${seconds(f.durationMs, 'up')} is longer than ${max / 1000} s, the limit when the character keeps the picture's orientation ("Match the picture"); "Match the video" allows up to ${LIMITS.videoMaxMsOrientationVideo / 1000} s`
        : `${seconds(f.durationMs, 'up')} is longer than the ${max / 1000} s maximum`,
    );
  return out;
}
