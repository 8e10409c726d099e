/**
 * Reads a reference video's format, picture size, duration and audio from its MP4/QuickTime boxes,
 * without decoding a frame. The browser runs it on a dropped File, the backend on the upload as it lands
 * on disk, the simulator on what it downloads: one reader, so all three judge the same facts.
 *
 * A small box reader rather than mp4box: `contract/` depends on zod only, the rules need five boxes
 * (ftyp, moov/mvhd, trak/tkhd, mdia/hdlr, mvex/mehd), and mp4box would add ~200 KB to the browser's
 * bundle to parse what this reads in a page of code.
 */

export type VideoFormat = 'mp4' | 'mov' | 'unknown';

export interface VideoFacts {
  format: VideoFormat;
  bytes: number;
  /** The picture track's display size (rotation applied); 0 when no picture track could be read. */
  width: number;
  height: number;
  /** 0 when the header does not say. */
  durationMs: number;
  hasAudio: boolean;
}

/** Random access to the file's bytes: a File in the browser, a file handle on the server, a buffer in tests. */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

/** How many leading bytes judge the format (the `ftyp` box, which must come first). */
export const FORMAT_SNIFF_BYTES = 64;

/**
 * A movie header larger than this is refused as damaged: a 30 s clip's `moov` is tens of KB, and the
 * reader must not be talked into holding a file-sized buffer.
 */
export const MAX_MOOV_BYTES = 16 * 1024 * 1024;
/** Top-level boxes walked before giving up (a real file has a handful). */
const MAX_TOP_LEVEL_BOXES = 4096;

const QUICKTIME_BRAND = 'qt  ';
/** Brands of the ISO base media family a video player reads as MP4. */
const MP4_BRANDS = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'iso7',
  'iso8',
  'iso9',
  'mp41',
  'mp42',
  'avc1',
  'M4V ',
  'M4VH',
  'M4VP',
  'dash',
  'mmp4',
  'MSNV',
  'XAVC',
]);

const fourcc = (b: Uint8Array, i: number) => String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);
const u32 = (b: Uint8Array, i: number) =>
  ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
const u64 = (b: Uint8Array, i: number) => u32(b, i) * 2 ** 32 + u32(b, i + 4);
const i32 = (b: Uint8Array, i: number) => u32(b, i) | 0;

/** The container format, judged by the leading `ftyp` box and its brands (never by a file name). */
export function sniffVideoFormat(head: Uint8Array): VideoFormat {
  if (head.length < 12 || fourcc(head, 4) !== 'ftyp') return 'unknown';
  const size = u32(head, 0);
  const major = fourcc(head, 8);
  if (major === QUICKTIME_BRAND) return 'mov';
  if (MP4_BRANDS.has(major)) return 'mp4';
  // A minor brand can still say what the file is (e.g. a camera's own major brand).
  // Only inside the box: what follows a short ftyp is another box, not more brands.
  const end = Math.min(head.length, size === 0 ? head.length : size);
  const compatible: string[] = [];
  for (let i = 16; i + 4 <= end; i += 4) compatible.push(fourcc(head, i));
  if (compatible.includes(QUICKTIME_BRAND)) return 'mov';
  if (compatible.some((b) => MP4_BRANDS.has(b))) return 'mp4';
  return 'unknown';
}

interface Box {
  type: string;
  /** Where the payload starts and ends, relative to the buffer it was found in. */
  start: number;
  end: number;
}

/** The boxes directly inside `b[from, to)`; stops at the first malformed header. */
function children(b: Uint8Array, from: number, to: number): Box[] {
  const out: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    let size = u32(b, at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) break;
      size = u64(b, at + 8);
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to) break;
    out.push({ type: fourcc(b, at + 4), start: at + header, end: at + size });
    at += size;
  }
  return out;
}

const child = (b: Uint8Array, box: Box, type: string) =>
  children(b, box.start, box.end).find((c) => c.type === type);

interface Track {
  handler: string;
  width: number;
  height: number;
}

function readTrack(b: Uint8Array, trak: Box): Track | undefined {
  const tkhd = child(b, trak, 'tkhd');
  const hdlr = child(b, trak, 'mdia') && child(b, child(b, trak, 'mdia')!, 'hdlr');
  if (!tkhd || !hdlr || hdlr.end - hdlr.start < 12) return undefined;
  const handler = fourcc(b, hdlr.start + 8);
  const v1 = b[tkhd.start] === 1;
  // version/flags, then times, track id, reserved and duration (32 or 64 bit), reserved, layer,
  // alternate group, volume, reserved, the 3×3 matrix, then width and height as 16.16 fixed point.
  const matrixAt = tkhd.start + (v1 ? 52 : 40);
  const sizeAt = matrixAt + 36;
  if (sizeAt + 8 > tkhd.end) return { handler, width: 0, height: 0 };
  let width = Math.round(u32(b, sizeAt) / 65536);
  let height = Math.round(u32(b, sizeAt + 4) / 65536);
  // A phone stores a portrait clip as landscape pixels plus a 90° rotation in the matrix.
  const a = i32(b, matrixAt);
  const bb = i32(b, matrixAt + 4);
  if (a === 0 && Math.abs(bb) === 65536) [width, height] = [height, width];
  return { handler, width, height };
}

/** A 32- or 64-bit duration field; undefined when the box ends first or the field says "unknown". */
function durationField(b: Uint8Array, box: Box, at: number, wide: boolean): number | undefined {
  if (at + (wide ? 8 : 4) > box.end) return undefined;
  const d = wide ? u64(b, at) : u32(b, at);
  // All ones is how a writer says it does not know (a live or fragmented recording).
  const unknown = wide ? u32(b, at) === 0xffffffff && u32(b, at + 4) === 0xffffffff : d === 0xffffffff;
  return unknown ? undefined : d;
}

function movieDurationMs(b: Uint8Array, moov: Box): number {
  const mvhd = child(b, moov, 'mvhd');
  if (!mvhd) return 0;
  // version/flags, creation and modification times (32 or 64 bit), timescale, duration (32 or 64 bit).
  const v1 = b[mvhd.start] === 1;
  const timescaleAt = mvhd.start + (v1 ? 20 : 12);
  if (timescaleAt + 4 > mvhd.end) return 0;
  const timescale = u32(b, timescaleAt);
  if (timescale === 0) return 0;
  const toMs = (duration: number | undefined) =>
    duration === undefined ? 0 : Math.round((duration / timescale) * 1000);
  const ms = toMs(durationField(b, mvhd, timescaleAt + 4, v1));
  if (ms > 0) return ms;
  // A fragmented file keeps its total in mvex/mehd (version/flags, then the duration), on the movie's timescale.
  const mvex = child(b, moov, 'mvex');
  const mehd = mvex && child(b, mvex, 'mehd');
  if (!mehd || mehd.end - mehd.start < 4) return 0;
  return toMs(durationField(b, mehd, mehd.start + 4, b[mehd.start] === 1));
}

/** Every fact the reference-video rules need, from the container's header boxes only. */
export async function readVideoFacts(source: ByteSource): Promise<VideoFacts> {
  const facts: VideoFacts = {
    format: 'unknown',
    bytes: source.size,
    width: 0,
    height: 0,
    durationMs: 0,
    hasAudio: false,
  };
  if (source.size === 0) return facts;
  facts.format = sniffVideoFormat(await source.read(0, FORMAT_SNIFF_BYTES));
  if (facts.format === 'unknown') return facts;

  // Walk the top-level boxes by their headers alone until `moov`: `mdat` (the frames) is skipped unread.
  let at = 0;
  for (let n = 0; n < MAX_TOP_LEVEL_BOXES && at + 8 <= source.size; n++) {
    // Eight bytes a box (sixteen for a 64-bit size): not one byte of an mdat's payload is read.
    const head = await source.read(at, 8);
    if (head.length < 8) break;
    let size = u32(head, 0);
    let header = 8;
    if (size === 1) {
      const large = await source.read(at + 8, 8);
      if (large.length < 8) break;
      size = u64(large, 0);
      header = 16;
    } else if (size === 0) size = source.size - at;
    if (size < header || at + size > source.size) break;
    if (fourcc(head, 4) === 'moov') {
      if (size > MAX_MOOV_BYTES) break;
      const moov = await source.read(at, size);
      if (moov.length < size) break;
      const box: Box = { type: 'moov', start: header, end: size };
      facts.durationMs = movieDurationMs(moov, box);
      const tracks = children(moov, box.start, box.end)
        .filter((c) => c.type === 'trak')
        .map((t) => readTrack(moov, t))
        .filter((t): t is Track => t !== undefined);
      const picture = tracks.find((t) => t.handler === 'vide' && t.width > 0 && t.height > 0);
      if (picture) {
        facts.width = picture.width;
        facts.height = picture.height;
      }
      facts.hasAudio = tracks.some((t) => t.handler === 'soun');
      break;
    }
    at += size;
  }
  return facts;
}
