/**
 * The box reader (contract/video/container-header.ts) against real files: clips the bundled ffmpeg
 * encodes, checked against what ffmpeg itself decodes (probeVideo). The synthetic-box tests prove each
 * branch; these prove the reader agrees with a real muxer on real layouts.
 */
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { videoFactRules } from '../../contract/rules/video-rules.ts';
import { recordingSource, topLevelBoxes } from '../../contract/testing/test-videos.ts';
import { type ByteSource, readVideoFacts, type VideoFacts } from '../../contract/video/container-header.ts';
import { runFfmpeg } from '../simulator/render/ffmpeg-process.ts';
import { probeVideo, type VideoProbe } from '../simulator/render/probe-video.ts';
import { makeTestVideo, type TestVideoSpec } from './test-videos.ts';

/** Each clip small and short (geq draws every pixel in software); 11 s at 6 fps stays fast. */
const CLIPS = {
  mp4Audio: { format: 'mp4', audio: true, width: 480, height: 360, seconds: 4, fps: 12 },
  movSilent: { format: 'mov', faststart: true, width: 360, height: 480, seconds: 3.5, fps: 12 },
  tooShort: { format: 'mp4', width: 360, height: 360, seconds: 2, fps: 12, faststart: true },
  tooLongForImage: { format: 'mp4', width: 360, height: 360, seconds: 11, fps: 6 },
  tooSmall: { format: 'mp4', width: 320, height: 240, seconds: 3, fps: 12 },
} as const satisfies Record<string, TestVideoSpec>;
type Clip = keyof typeof CLIPS;

let dir: string;
const file = (clip: Clip) => join(dir, `${clip}.${CLIPS[clip].format}`);
const read: Partial<Record<Clip, { facts: VideoFacts; probe: VideoProbe; bytes: Uint8Array }>> = {};

/** The reader on an open file handle, as the backend runs it on an upload. */
async function readFromDisk(path: string): Promise<VideoFacts> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const source: ByteSource = {
      size,
      read: async (offset, length) => {
        const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        return buffer.subarray(0, bytesRead);
      },
    };
    return await readVideoFacts(source);
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'test-videos-'));
  const clips = Object.keys(CLIPS) as Clip[];
  // Two at a time: the machine is shared, and each ffmpeg runs on one thread.
  for (let i = 0; i < clips.length; i += 2)
    await Promise.all(
      clips.slice(i, i + 2).map(async (clip) => {
        await makeTestVideo(file(clip), CLIPS[clip]);
        const [facts, probe, bytes] = await Promise.all([
          readFromDisk(file(clip)),
          probeVideo(file(clip)),
          readFile(file(clip)),
        ]);
        read[clip] = { facts, probe, bytes: new Uint8Array(bytes) };
      }),
    );
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const got = (clip: Clip) => read[clip]!;
const rules = (clip: Clip, orientation?: 'image' | 'video') =>
  videoFactRules('video_url', got(clip).facts, orientation).map((v) => v.rule);

describe('readVideoFacts on clips from the bundled ffmpeg', () => {
  it.each(Object.keys(CLIPS) as Clip[])('%s: size and duration agree with what ffmpeg decodes', (clip) => {
    const { facts, probe, bytes } = got(clip);
    const spec = CLIPS[clip];
    expect(facts.format).toBe(spec.format);
    expect(facts.bytes).toBe(bytes.length);
    expect([facts.width, facts.height]).toEqual([probe.width, probe.height]);
    expect([facts.width, facts.height]).toEqual([spec.width, spec.height]);
    // The probe's container duration has centisecond precision; AAC priming may add a frame or two.
    expect(Math.abs(facts.durationMs - probe.durationSeconds * 1000)).toBeLessThanOrEqual(10);
    expect(Math.abs(facts.durationMs - spec.seconds * 1000)).toBeLessThanOrEqual(100);
    expect(probe.frames).toBe(Math.round(spec.seconds * spec.fps));
  });

  it('hears the sound track of the mp4 and none in the silent mov', () => {
    expect(got('mp4Audio').facts.hasAudio).toBe(true);
    expect(got('movSilent').facts.hasAudio).toBe(false);
    expect(got('tooSmall').facts.hasAudio).toBe(false);
  });

  it('reads both layouts: moov after mdat (a camera) and before it (faststart)', () => {
    const order = (clip: Clip) =>
      topLevelBoxes(got(clip).bytes)
        .map((b) => b.type)
        .filter((t) => t === 'moov' || t === 'mdat');
    expect(order('mp4Audio')).toEqual(['mdat', 'moov']);
    expect(order('tooLongForImage')).toEqual(['mdat', 'moov']);
    expect(order('movSilent')).toEqual(['moov', 'mdat']);
    expect(order('tooShort')).toEqual(['moov', 'mdat']);
    for (const clip of ['mp4Audio', 'movSilent'] as const) expect(got(clip).facts.width).toBeGreaterThan(0);
  });

  it("skips a real mdat unread: only the moov and the headers' few bytes", async () => {
    const { bytes } = got('tooLongForImage');
    const mdat = topLevelBoxes(bytes).find((b) => b.type === 'mdat')!;
    const moov = topLevelBoxes(bytes).find((b) => b.type === 'moov')!;
    const source = recordingSource({ size: bytes.length, read: async (o, n) => bytes.subarray(o, o + n) });
    expect(await readVideoFacts(source)).toEqual(got('tooLongForImage').facts);
    // Small frames (a square on grey compresses well), but still the bulk of the file.
    expect(mdat.end - mdat.offset).toBeGreaterThan(2 * (moov.end - moov.offset));
    expect(source.bytesReadWithin(Math.max(64, mdat.offset + mdat.header), mdat.end)).toBe(0);
    expect(source.bytesRead()).toBeLessThan(64 + 8 * 8 + (moov.end - moov.offset));
  });
});

describe('a phone-style portrait clip: landscape pixels plus a rotation in the track matrix', () => {
  it('reads as portrait, while the coded frames stay landscape', async () => {
    const rotated = join(dir, 'rotated.mp4');
    // A remux (no re-encode): ffmpeg writes the 90° matrix into tkhd, as a phone does.
    await runFfmpeg([
      ...['-hide_banner', '-nostdin', '-y', '-i', file('mp4Audio'), '-c', 'copy'],
      ...['-metadata:s:v:0', 'rotate=90', rotated],
    ]);
    const facts = await readFromDisk(rotated);
    expect(facts).toMatchObject({ format: 'mp4', width: 360, height: 480, hasAudio: true });
    expect(facts.durationMs).toBe(got('mp4Audio').facts.durationMs);
    const probe = await probeVideo(rotated);
    expect([probe.width, probe.height]).toEqual([480, 360]);
  });
});

describe('videoFactRules on the real clips', () => {
  it('a 4 s mp4 with sound and a 3.5 s portrait mov pass with either orientation', () => {
    for (const clip of ['mp4Audio', 'movSilent'] as const) {
      expect(rules(clip, 'image')).toEqual([]);
      expect(rules(clip, 'video')).toEqual([]);
    }
  });

  it('2 s is too short', () => {
    expect(rules('tooShort')).toEqual(['video_too_short']);
  });

  it('11 s is too long to match the picture, fine to match the video', () => {
    expect(rules('tooLongForImage', 'image')).toEqual(['video_too_long']);
    expect(rules('tooLongForImage', 'video')).toEqual([]);
  });

  it('320×240 is too small', () => {
    expect(rules('tooSmall')).toEqual(['video_too_small']);
  });
});
