/**
 * Is a PNG's picture data whole? A file can have a perfect header, chunk framing and CRCs and still carry
 * IDAT bytes no decoder can read (random bytes, a stream cut short, the wrong amount of pixels). Kling
 * then fails the task after billing it. The check inflates the IDAT stream and counts: it must give
 * exactly one filter byte plus one row of pixels per scanline (per Adam7 pass when interlaced), and each
 * filter byte must be one of PNG's five filters. Nothing is kept: memory stays flat for any image.
 *
 * One implementation for the browser and the backend: `DecompressionStream` is a global in both (Node ≥ 18),
 * so this stays free of DOM and Node imports, and in Node it runs zlib on the thread pool, off the event loop.
 * Only the inflater may be swapped (the backend hands in zlib with larger pieces, see
 * server/inputs/inflate-in-pieces.ts): what counts as whole is decided here, once.
 */

/** Channels per pixel, by colour type, and the bit depths PNG allows for it. */
const COLOUR_TYPES: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};

/** Adam7: [first column, first row, column step, row step] of each of the seven passes. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** One run of scanlines of the same length: the whole image, or one interlace pass. */
interface Scanlines {
  rows: number;
  /** Bytes of one scanline, its filter byte included. */
  stride: number;
}

const u32 = (b: Uint8Array, i: number) =>
  ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;

/** The scanlines IHDR promises, or undefined when IHDR describes no valid PNG. */
export function pngScanlines(ihdr: Uint8Array): Scanlines[] | undefined {
  if (ihdr.length < 13) return undefined;
  const width = u32(ihdr, 0);
  const height = u32(ihdr, 4);
  const [depth, colour, compression, filter, interlace] = [ihdr[8]!, ihdr[9]!, ihdr[10], ihdr[11], ihdr[12]];
  const type = COLOUR_TYPES[colour];
  if (!type?.depths.includes(depth) || compression !== 0 || filter !== 0 || interlace! > 1) return undefined;
  if (width === 0 || height === 0) return undefined;
  const bits = type.channels * depth;
  const stride = (w: number) => 1 + Math.ceil((w * bits) / 8);
  if (interlace === 0) return [{ rows: height, stride: stride(width) }];
  const passes: Scanlines[] = [];
  for (const [x0, y0, dx, dy] of ADAM7) {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    // An empty pass has no scanlines at all, not even filter bytes.
    if (w > 0 && h > 0) passes.push({ rows: h, stride: stride(w) });
  }
  return passes;
}

/** IHDR's data and every IDAT chunk's data, in order; undefined when the chunks run past the file. */
function pngChunks(b: Uint8Array): { ihdr: Uint8Array; idat: Uint8Array[] } | undefined {
  let ihdr: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let i = 8;
  while (i + 12 <= b.length) {
    const len = u32(b, i);
    const type = String.fromCharCode(b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
    if (i + 12 + len > b.length) return undefined;
    const data = b.subarray(i + 8, i + 8 + len);
    if (type === 'IHDR') ihdr = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    i += 12 + len;
  }
  return ihdr && idat.length ? { ihdr, idat } : undefined;
}

/**
 * Inflates a zlib stream given in parts, handing back its bytes in pieces as they come; throws when the
 * parts are not one whole zlib stream (checksum included). Stopping the iteration early stops inflating.
 */
export type Inflate = (deflated: readonly Uint8Array[]) => AsyncIterable<Uint8Array>;

/** `DecompressionStream`: the browser's, and Node's (zlib in 16 KB pieces, one thread-pool trip each). */
export async function* inflateWithStreams(deflated: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  const inflate = new DecompressionStream('deflate');
  const writer = inflate.writable.getWriter();
  // Write errors surface on the reader too (as the stream's error); this only keeps them from going unhandled.
  void (async () => {
    for (const c of deflated) await writer.write(c as Uint8Array<ArrayBuffer>);
    await writer.close();
  })().catch(() => {});
  const reader = inflate.readable.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * True when the IDAT stream inflates (checksum included) to exactly the bytes IHDR promises, with a valid
 * filter byte at the start of every scanline. Reading stops as soon as the stream gives more than that,
 * so a stream that expands without end costs no more than the image it claims to be.
 */
export async function pngDataIntact(
  bytes: Uint8Array,
  inflate: Inflate = inflateWithStreams,
): Promise<boolean> {
  const chunks = pngChunks(bytes);
  const passes = chunks && pngScanlines(chunks.ihdr);
  if (!chunks || !passes) return false;
  const total = passes.reduce((n, p) => n + p.rows * p.stride, 0);

  let seen = 0;
  // Where the next filter byte sits in the inflated stream, walking the passes' scanlines in order.
  let pass = 0;
  let row = 0;
  let passStart = 0;
  let nextFilter = 0;
  try {
    // Leaving the loop early (a return) stops the inflater.
    for await (const value of inflate(chunks.idat)) {
      const end = seen + value.length;
      if (end > total) return false;
      while (pass < passes.length && nextFilter < end) {
        if (value[nextFilter - seen]! > 4) return false;
        const p = passes[pass]!;
        if (++row === p.rows) {
          passStart += p.rows * p.stride;
          pass++;
          row = 0;
          nextFilter = passStart;
        } else nextFilter += p.stride;
      }
      seen = end;
    }
  } catch {
    // Not a zlib stream, cut short, or its checksum does not match.
    return false;
  }
  return seen === total;
}
