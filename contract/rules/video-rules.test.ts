import { describe, expect, it } from 'vitest';
import { LIMITS } from '../limits.ts';
import { gifHeader, jpegHeader, pngHeader, textFile } from '../testing/test-images.ts';
import type { VideoFacts } from '../video/container-header.ts';
import { seconds, videoFactRules } from './video-rules.ts';

const LABEL = 'Reference video (video_url): ';
const ok: VideoFacts = {
  format: 'mp4',
  bytes: 5_000_000,
  width: 1280,
  height: 720,
  durationMs: 5000,
  hasAudio: true,
};
const rules = (f: Partial<VideoFacts>, orientation?: 'image' | 'video', head?: Uint8Array) =>
  videoFactRules('video_url', { ...ok, ...f }, orientation, head);
const ids = (f: Partial<VideoFacts>, orientation?: 'image' | 'video') =>
  rules(f, orientation).map((v) => v.rule);

describe('videoFactRules', () => {
  it('a clip inside every limit passes, in mp4 and mov, with or without sound', () => {
    expect(rules({})).toEqual([]);
    expect(rules({ format: 'mov', hasAudio: false }, 'image')).toEqual([]);
  });

  it('an empty file is only "empty"', () => {
    expect(rules({ bytes: 0, format: 'unknown', width: 0, durationMs: 0 })).toEqual([
      { field: 'video_url', rule: 'video_empty', message: `${LABEL}the file is empty` },
    ]);
  });

  it('a file that is not MP4/MOV says what it really is when the head is known', () => {
    const f = { format: 'unknown' as const, width: 0, height: 0, durationMs: 0 };
    const message = (head?: Uint8Array) => {
      const out = rules(f, undefined, head);
      expect(out.map((v) => v.rule)).toEqual(['video_format']);
      return out[0]!.message;
    };
    expect(message(pngHeader(400, 300))).toBe(`${LABEL}must be an MP4 or MOV video, but this is a PNG image`);
    expect(message(jpegHeader(400, 300))).toMatch(/but this is a JPEG image$/);
    expect(message(gifHeader(4, 4))).toMatch(/but this is a GIF image$/);
    expect(message(textFile())).toMatch(/but this is not a video Kling can read$/);
    expect(message()).toMatch(/but this is not a video Kling can read$/);
  });

  it('an unreadable header: no size or no duration; the byte limit is still reported', () => {
    expect(ids({ width: 0, height: 0 })).toEqual(['video_unreadable']);
    expect(ids({ durationMs: 0 })).toEqual(['video_unreadable']);
    expect(ids({ width: 0, bytes: LIMITS.videoMaxBytes + 1 })).toEqual([
      'video_too_large',
      'video_unreadable',
    ]);
    expect(rules({ height: 0 })[0]!.message).toMatch(
      /^Reference video \(video_url\): the video header is damaged/,
    );
  });

  it('the byte limit: 100 MB passes, one byte more does not, and the message never rounds down to the limit', () => {
    expect(ids({ bytes: LIMITS.videoMaxBytes })).toEqual([]);
    const [v] = rules({ bytes: LIMITS.videoMaxBytes + 1 });
    expect(v).toEqual({
      field: 'video_url',
      rule: 'video_too_large',
      message: `${LABEL}100.1 MB is over the 100 MB limit`,
    });
  });

  it('each side between 340 and 3850 px', () => {
    expect(ids({ width: 340, height: 340 })).toEqual([]);
    expect(ids({ width: 3850, height: 3850 })).toEqual([]);
    expect(rules({ width: 339, height: 720 })).toEqual([
      {
        field: 'video_url',
        rule: 'video_too_small',
        message: `${LABEL}339×720 px is below the 340 px minimum for each side`,
      },
    ]);
    expect(rules({ width: 1280, height: 3851 })).toEqual([
      {
        field: 'video_url',
        rule: 'video_too_big',
        message: `${LABEL}1280×3851 px is over the 3850 px maximum for each side`,
      },
    ]);
    // One side too small and the other too big: both.
    expect(ids({ width: 320, height: 4000 })).toEqual(['video_too_small', 'video_too_big']);
  });

  it('at least 3 s; a clip just short says so without rounding up to the limit', () => {
    expect(ids({ durationMs: 3000 })).toEqual([]);
    expect(rules({ durationMs: 2999 })).toEqual([
      {
        field: 'video_url',
        rule: 'video_too_short',
        message: `${LABEL}2.9 s is shorter than the 3 s minimum`,
      },
    ]);
  });

  it('the longest clip depends on the orientation: 30 s with "video" (or none chosen), 10 s with "image"', () => {
    expect(ids({ durationMs: 30_000 }, 'video')).toEqual([]);
    expect(ids({ durationMs: 30_000 })).toEqual([]);
    expect(rules({ durationMs: 30_001 }, 'video')).toEqual([
      {
        field: 'video_url',
        rule: 'video_too_long',
        message: `${LABEL}30.1 s is longer than the 30 s maximum`,
      },
    ]);
    expect(ids({ durationMs: 30_001 })).toEqual(['video_too_long']);
    expect(ids({ durationMs: 10_000 }, 'image')).toEqual([]);
    expect(ids({ durationMs: 11_000 }, 'video')).toEqual([]);
    const [v] = rules({ durationMs: 11_000 }, 'image');
    expect(v!.rule).toBe('video_too_long');
    expect(v!.message).toBe(
      `${LABEL}11 s is longer than 10 s, the limit when the character keeps the picture's orientation ("Match the picture"); "Match the video" allows up to 30 s`,
    );
    expect(rules({ durationMs: 10_001 }, 'image')[0]!.message).toMatch(
      /^Reference video \(video_url\): 10\.1 s is longer/,
    );
  });

  it('every fact rule at once', () => {
    expect(ids({ bytes: 200 * 1024 * 1024, width: 100, height: 5000, durationMs: 1000 })).toEqual([
      'video_too_large',
      'video_too_small',
      'video_too_big',
      'video_too_short',
    ]);
    expect(ids({ bytes: 200 * 1024 * 1024, width: 100, height: 100, durationMs: 12_000 }, 'image')).toEqual([
      'video_too_large',
      'video_too_small',
      'video_too_long',
    ]);
  });

  it('the field label follows the field', () => {
    const [v] = videoFactRules('reference', { ...ok, durationMs: 1000 });
    expect(v!.field).toBe('reference');
    expect(v!.message.startsWith('reference: ')).toBe(true);
  });
});

describe('seconds', () => {
  it('tenths, rounded as asked', () => {
    expect(seconds(10_040)).toBe('10 s');
    expect(seconds(10_050)).toBe('10.1 s');
    expect(seconds(10_001, 'up')).toBe('10.1 s');
    expect(seconds(2_999, 'down')).toBe('2.9 s');
    expect(seconds(3_000, 'down')).toBe('3 s');
  });
});
