import type { ByteSource } from '../video/container-header.ts';
import { concatBytes } from './test-images.ts';

/**
 * MP4 and QuickTime files built box by box, for tests of the container-header reader. Only the boxes
 * the reader walks carry real fields (ftyp, moov/mvhd, trak/tkhd, mdia/mdhd/hdlr, mvex/mehd/trex); the
 * frames are filler bytes in `mdat`, so nothing here decodes. Real encoded clips come from
 * server/testing/test-videos.ts (ffmpeg); these are for the layouts a camera, a phone or an attacker
 * writes that ffmpeg will not: 64-bit sizes, rotation matrices, boxes cut short, absurd sizes.
 */

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function fourcc(type: string): Uint8Array {
  if (type.length !== 4) throw new Error(`a box type has 4 characters: ${JSON.stringify(type)}`);
  return ascii(type);
}

/** Big-endian fields, in the order given: [value, byte width]. 8-byte values up to 2^53. */
export function fields(...parts: readonly (readonly [value: number, width: 1 | 2 | 4 | 8])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, [, w]) => n + w, 0));
  const dv = new DataView(out.buffer);
  let at = 0;
  for (const [value, width] of parts) {
    if (width === 1) dv.setUint8(at, value);
    else if (width === 2) dv.setUint16(at, value);
    else if (width === 4) dv.setUint32(at, value >>> 0);
    else {
      dv.setUint32(at, Math.floor(value / 2 ** 32));
      dv.setUint32(at + 4, value >>> 0);
    }
    at += width;
  }
  return out;
}

/** A box with a 32-bit size: [size][type][payload]. */
export function box(type: string, ...payload: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes(payload);
  return concatBytes([fields([8 + body.length, 4]), fourcc(type), body]);
}

/** A box with size 1 and a 64-bit `largesize` after the type, as files over 4 GB write their `mdat`. */
export function largeBox(type: string, ...payload: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes(payload);
  return concatBytes([fields([1, 4]), fourcc(type), fields([16 + body.length, 8]), body]);
}

/** A box with size 0: "runs to the end of the file" (allowed for the last box, e.g. a streamed `mdat`). */
export function toEndBox(type: string, ...payload: readonly Uint8Array[]): Uint8Array {
  return concatBytes([fields([0, 4]), fourcc(type), ...payload]);
}

/** A full box: version and 24-bit flags before the payload. */
export const fullBox = (type: string, version: number, ...payload: readonly Uint8Array[]) =>
  box(type, fields([version, 1], [0, 1], [0, 2]), ...payload);

/** `ftyp`: major brand, minor version, compatible brands. */
export const ftyp = (major: string, compatible: readonly string[] = [], minor = 0x200) =>
  box('ftyp', fourcc(major), fields([minor, 4]), ...compatible.map(fourcc));

/** 16.16 fixed point. */
const fixed16 = (n: number) => Math.round(n * 65536) >>> 0;

/** The 3×3 display matrix (a b u / c d v / x y w) of a clockwise rotation, as phones write it. */
export function rotationMatrix(degrees: 0 | 90 | 180 | 270, width = 0, height = 0): Uint8Array {
  const cos = [1, 0, -1, 0][degrees / 90]!;
  const sin = [0, 1, 0, -1][degrees / 90]!;
  // The translation moves the rotated picture back into view; the reader needs only a, b.
  const tx = degrees === 90 || degrees === 180 ? height : 0;
  const ty = degrees === 180 || degrees === 270 ? width : 0;
  return fields(
    [fixed16(cos), 4],
    [fixed16(sin), 4],
    [0, 4],
    [fixed16(-sin), 4],
    [fixed16(cos), 4],
    [0, 4],
    [fixed16(tx), 4],
    [fixed16(ty), 4],
    [0x40000000, 4],
  );
}

export interface MvhdSpec {
  version?: 0 | 1;
  timescale?: number;
  /** In timescale units; 0xffffffff (v0) means "unknown". */
  duration: number;
}

/** `mvhd`: the movie's timescale and duration (v0: 32-bit times, v1: 64-bit). */
export function mvhd({ version = 0, timescale = 1000, duration }: MvhdSpec): Uint8Array {
  const t = version === 1 ? 8 : 4;
  return fullBox(
    'mvhd',
    version,
    fields([0, t], [0, t], [timescale, 4], [duration, t], [0x10000, 4], [0x100, 2]),
    new Uint8Array(10),
    rotationMatrix(0),
    new Uint8Array(24),
    fields([2, 4]),
  );
}

export interface TkhdSpec {
  version?: 0 | 1;
  trackId?: number;
  /** Display size in pixels (stored as 16.16); fractions allowed. 0 × 0 for a sound track. */
  width: number;
  height: number;
  rotation?: 0 | 90 | 180 | 270;
  duration?: number;
}

/** `tkhd`: the track's display size and matrix (v0 84 bytes of payload, v1 96). */
export function tkhd({ version = 0, trackId = 1, width, height, rotation = 0, duration = 0 }: TkhdSpec) {
  const t = version === 1 ? 8 : 4;
  return fullBox(
    'tkhd',
    version,
    fields([0, t], [0, t], [trackId, 4], [0, 4], [duration, t], [0, 8], [0, 2], [0, 2], [0, 2], [0, 2]),
    rotationMatrix(rotation, width, height),
    fields([fixed16(width), 4], [fixed16(height), 4]),
  );
}

/**
 * `hdlr`: the track's kind. QuickTime writes a component type (`mhlr`) where ISO writes zero, and a
 * Pascal-string name where ISO writes a C string; the handler sits at the same offset in both.
 */
export function hdlr(handler: 'vide' | 'soun' | 'meta' | 'tmcd', quicktime = false): Uint8Array {
  const name = quicktime ? concatBytes([fields([12, 1]), ascii('CoreHandler')]) : ascii('Handler\0');
  return fullBox(
    'hdlr',
    0,
    quicktime ? ascii('mhlr') : fields([0, 4]),
    fourcc(handler),
    new Uint8Array(12),
    name,
  );
}

const mdhd = (timescale: number) =>
  fullBox('mdhd', 0, fields([0, 4], [0, 4], [timescale, 4], [0, 4], [0x55c4, 2], [0, 2]));

export interface TrackSpec extends TkhdSpec {
  handler: 'vide' | 'soun' | 'meta' | 'tmcd';
  quicktime?: boolean;
}

/** `trak` with `tkhd` and `mdia` (`mdhd` first, so the reader must look past a sibling to find `hdlr`). */
export const trak = (t: TrackSpec) =>
  box('trak', tkhd(t), box('mdia', mdhd(t.handler === 'soun' ? 44100 : 12800), hdlr(t.handler, t.quicktime)));

/** `mvex` with `mehd` (a fragmented file's total duration, on the movie's timescale) and a `trex`. */
export const mvex = (duration: number, version: 0 | 1 = 0) =>
  box(
    'mvex',
    fullBox('mehd', version, fields([duration, version === 1 ? 8 : 4])),
    fullBox('trex', 0, fields([1, 4], [1, 4], [0, 4], [0, 4], [0, 4])),
  );

/** Filler "frames": a repeating pattern, so a reader that took it for boxes would find nonsense. */
export function frames(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + 3) & 0xff;
  return out;
}

export interface SyntheticVideoSpec {
  format?: 'mp4' | 'mov';
  /** Overrides the format's major brand (`isom` for mp4, `qt  ` for mov). */
  brand?: string;
  compatible?: readonly string[];
  width?: number;
  height?: number;
  durationMs?: number;
  timescale?: number;
  mvhdVersion?: 0 | 1;
  tkhdVersion?: 0 | 1;
  rotation?: 0 | 90 | 180 | 270;
  audio?: boolean;
  /** Leave out the picture track (a sound-only file). */
  noVideo?: boolean;
  /** moov before mdat (`+faststart`); default false, as cameras write. */
  faststart?: boolean;
  /** Payload bytes of the `free`/`wide` box written next to mdat (default 0: an 8-byte box). */
  padBytes?: number;
  /** Bytes of filler in `mdat`. */
  mdatBytes?: number;
  /** `mdat` with a 64-bit largesize. */
  largeMdat?: boolean;
  /** Fragmented: mvhd says 0, mvex/mehd holds the duration, moof+mdat pairs follow the moov. */
  fragmented?: boolean;
}

export const SYNTHETIC_VIDEO_DEFAULTS = {
  format: 'mp4',
  width: 1280,
  height: 720,
  durationMs: 5000,
  timescale: 1000,
  mdatBytes: 4096,
} as const;

/** The `moov` of a spec: mvhd, the picture track, the sound track, mvex when fragmented. */
export function movieBox(spec: SyntheticVideoSpec = {}): Uint8Array {
  const s = { ...SYNTHETIC_VIDEO_DEFAULTS, ...spec };
  const quicktime = s.format === 'mov';
  const duration = Math.round((s.durationMs * s.timescale) / 1000);
  const tracks: Uint8Array[] = [];
  if (!s.noVideo)
    tracks.push(
      trak({
        handler: 'vide',
        quicktime,
        version: s.tkhdVersion,
        width: s.width,
        height: s.height,
        rotation: s.rotation,
        trackId: 1,
      }),
    );
  if (s.audio) tracks.push(trak({ handler: 'soun', quicktime, width: 0, height: 0, trackId: 2 }));
  return box(
    'moov',
    mvhd({ version: s.mvhdVersion, timescale: s.timescale, duration: s.fragmented ? 0 : duration }),
    ...tracks,
    ...(s.fragmented ? [mvex(duration)] : []),
  );
}

/** A whole synthetic file: ftyp, then moov and mdat in the order the spec says. */
export function syntheticVideo(spec: SyntheticVideoSpec = {}): Uint8Array {
  const s = { ...SYNTHETIC_VIDEO_DEFAULTS, ...spec };
  const quicktime = s.format === 'mov';
  const head = ftyp(
    s.brand ?? (quicktime ? 'qt  ' : 'isom'),
    s.compatible ?? (quicktime ? ['qt  '] : ['isom', 'iso2', 'avc1', 'mp41']),
    quicktime ? 0x20050300 : 0x200,
  );
  const moov = movieBox(spec);
  if (s.fragmented) {
    const half = frames(Math.ceil(s.mdatBytes / 2));
    const fragment = (n: number) =>
      concatBytes([box('moof', fullBox('mfhd', 0, fields([n, 4]))), box('mdat', half)]);
    return concatBytes([head, moov, fragment(1), fragment(2)]);
  }
  const payload = frames(s.mdatBytes);
  const mdat = s.largeMdat ? largeBox('mdat', payload) : box('mdat', payload);
  // QuickTime writes a `wide` placeholder before mdat, ffmpeg a `free`: padding the reader walks past.
  const pad = box(quicktime ? 'wide' : 'free', new Uint8Array(s.padBytes ?? 0));
  return concatBytes(s.faststart ? [head, moov, pad, mdat] : [head, pad, mdat, moov]);
}

/** Where each top-level box of `file` starts and ends (for tests that must know where mdat is). */
export function topLevelBoxes(
  file: Uint8Array,
): { type: string; offset: number; end: number; header: number }[] {
  const out: { type: string; offset: number; end: number; header: number }[] = [];
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let at = 0;
  while (at + 8 <= file.length) {
    let size = dv.getUint32(at);
    let header = 8;
    if (size === 1) {
      size = dv.getUint32(at + 8) * 2 ** 32 + dv.getUint32(at + 12);
      header = 16;
    } else if (size === 0) size = file.length - at;
    const type = String.fromCharCode(...file.subarray(at + 4, at + 8));
    out.push({ type, offset: at, end: at + size, header });
    if (size < header) break;
    at += size;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Byte sources for tests: one that records every read, one that pretends to be a huge file.

export interface RecordingSource extends ByteSource {
  readonly reads: { offset: number; length: number }[];
  /** Bytes handed out so far. */
  bytesRead(): number;
  /** Bytes handed out from inside [from, to). */
  bytesReadWithin(from: number, to: number): number;
}

/** Wraps a source and records each read, so a test can prove which bytes the reader looked at. */
export function recordingSource(inner: ByteSource): RecordingSource {
  const reads: { offset: number; length: number }[] = [];
  return {
    size: inner.size,
    reads,
    async read(offset, length) {
      const got = await inner.read(offset, length);
      reads.push({ offset, length: got.length });
      return got;
    },
    bytesRead: () => reads.reduce((n, r) => n + r.length, 0),
    bytesReadWithin: (from, to) =>
      reads.reduce(
        (n, r) => n + Math.max(0, Math.min(to, r.offset + r.length) - Math.max(from, r.offset)),
        0,
      ),
  };
}

/**
 * A file of `size` bytes that holds only the given pieces (zeros elsewhere) and refuses reads larger
 * than `maxRead`: a 5 GB MP4 without 5 GB of memory, and proof that the reader never asks for its mdat.
 */
export function sparseSource(
  size: number,
  pieces: readonly { offset: number; bytes: Uint8Array }[],
  maxRead = 64 * 1024 * 1024,
): ByteSource {
  return {
    size,
    async read(offset, length) {
      if (length > maxRead) throw new Error(`read of ${length} bytes at ${offset}: more than ${maxRead}`);
      const end = Math.min(size, offset + length);
      const out = new Uint8Array(Math.max(0, end - offset));
      for (const p of pieces) {
        const from = Math.max(offset, p.offset);
        const to = Math.min(end, p.offset + p.bytes.length);
        if (from < to) out.set(p.bytes.subarray(from - p.offset, to - p.offset), from - offset);
      }
      return out;
    },
  };
}
