import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { pngDataIntact } from '../../contract/images/png-data.ts';
import { sniffImage } from '../../contract/images/sniff.ts';
import { LIMITS } from '../../contract/limits.ts';
import { MAX_DECODE_PIXELS } from './image-facts.ts';
import { inflateInPieces } from './inflate-in-pieces.ts';

/**
 * Is the file whole, as its encoder wrote it? A PNG's every chunk carries a CRC and the file ends with
 * IEND; a JPEG runs from SOI through its segments to an EOI. Checking that catches what really breaks
 * uploads (truncation, corruption in transit, bytes spliced together) without decoding a pixel, which
 * keeps a full image decode off every create: the pixels are decoded once, later, for the thumbnail.
 */
export function isStructurallyIntact(bytes: Uint8Array, format: 'png' | 'jpeg'): boolean {
  return format === 'png' ? pngIntact(bytes) : jpegIntact(bytes);
}

function pngIntact(b: Uint8Array): boolean {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 8;
  let sawIdat = false;
  let first = true;
  while (i + 12 <= b.length) {
    const len = dv.getUint32(i);
    const end = i + 12 + len;
    if (end > b.length) return false;
    const type = String.fromCharCode(b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
    if (first && type !== 'IHDR') return false;
    first = false;
    if (crc32(b.subarray(i + 4, i + 8 + len)) !== dv.getUint32(i + 8 + len)) return false;
    if (type === 'IDAT') sawIdat = true;
    if (type === 'IEND') return sawIdat;
    i = end;
  }
  return false;
}

function jpegIntact(b: Uint8Array): boolean {
  if (b[0] !== 0xff || b[1] !== 0xd8) return false;
  // Some encoders pad after EOI; the last marker that matters is FFD9.
  let last = b.length - 1;
  while (last > 1 && b[last] === 0x00) last--;
  if (b[last - 1] !== 0xff || b[last] !== 0xd9) return false;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return false;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xda) return true; // start of scan: entropy-coded data runs to EOI, checked above
    if (marker === 0xd9) return false; // EOI before any scan
    if (marker >= 0xd0 && marker <= 0xd7) {
      i += 2;
      continue;
    }
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    if (len < 2) return false;
    i += 2 + len;
  }
  return false;
}

// libjpeg says so (a warning, not an error) when a scan ends before its last block: the rest of the
// picture is grey, and Kling fails the task. Other warnings (stray bytes before a marker) decode whole.
const JPEG_DATA_MISSING = /premature end|huffman|not enough data|truncated/i;

const decodeSmall = (bytes: Uint8Array, failOn: 'warning' | 'error') =>
  sharp(bytes, { failOn, limitInputPixels: MAX_DECODE_PIXELS })
    .resize(64, 64, { fit: 'inside' })
    .raw()
    .toBuffer();

/**
 * Does a JPEG's scan decode to its last block? sharp decodes it on the thread pool (the event loop stays
 * free), within the rules' pixel limit, shrunk on load: every block's entropy-coded data is still read,
 * which is what can be damaged, while few pixels are made. libjpeg reports a scan that stops early only
 * as a warning, so the decode fails on warnings, and only a warning about missing data refuses the file.
 */
export function jpegDecodes(bytes: Uint8Array): Promise<boolean> {
  // One at a time: libvips keeps its error text in one buffer for the whole process, and the verdict below
  // reads that text. Two decodes failing at once could read each other's (or an emptied) message, and a
  // scan cut short would then pass on the second try (a create with a damaged end frame was accepted).
  const run = decodeQueue.then(() => jpegDecodesAlone(bytes));
  decodeQueue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

let decodeQueue: Promise<void> = Promise.resolve();

async function jpegDecodesAlone(bytes: Uint8Array): Promise<boolean> {
  try {
    await decodeSmall(bytes, 'warning');
    return true;
  } catch (e) {
    if (JPEG_DATA_MISSING.test(e instanceof Error ? e.message : String(e))) return false;
  }
  return decodeSmall(bytes, 'error').then(
    () => true,
    () => false,
  );
}

/**
 * Is the picture data whole, past the header and the framing? A PNG's IDAT stream must inflate to exactly
 * its rows (the contract's check, the one the browser runs too, here on zlib in 1 MB pieces rather than
 * DecompressionStream's 16 KB ones); a JPEG must decode to its last block.
 */
export function pictureDataIntact(bytes: Uint8Array, format: 'png' | 'jpeg'): Promise<boolean> {
  return format === 'png' ? pngDataIntact(bytes, inflateInPieces) : jpegDecodes(bytes);
}

/** Both checks of one image: its framing (known at once) and, only when that is whole, its picture data. */
export interface IntegrityCheck {
  format: 'png' | 'jpeg';
  structural: boolean;
  pictureData: Promise<boolean> | undefined;
}

/**
 * The checks started before the rules have judged the bytes (so the picture data is inflated while sharp
 * reads the header), or undefined when that could cost more than a create that passes may: only a PNG or
 * JPEG whose own header claims sides within the rules' limit, no larger than the rules allow. Anything
 * else is checked, if at all, after the rules, as before.
 */
export function startIntegrityCheckEarly(bytes: Uint8Array): IntegrityCheck | undefined {
  const { format, width, height } = sniffImage(bytes);
  if (format !== 'png' && format !== 'jpeg') return undefined;
  const max = LIMITS.imageMaxSide;
  if (bytes.length > LIMITS.imageMaxBytes || !(width > 0 && height > 0 && width <= max && height <= max))
    return undefined;
  const structural = isStructurallyIntact(bytes, format);
  // Nothing may wait on it (the rules may refuse the create first): it answers false rather than throw. A
  // JPEG's decode is not started early: it would run beside sharp's header reads (see jpegDecodes).
  const pictureData =
    structural && format === 'png' ? pictureDataIntact(bytes, format).catch(() => false) : undefined;
  return { format, structural, pictureData };
}
