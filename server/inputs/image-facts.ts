import sharp from 'sharp';
import { type ImageFacts, sniffFormat, sniffImage } from '../../contract/images/sniff.ts';
import { LIMITS } from '../../contract/limits.ts';

/** Pixels sharp may decode at most: the largest image the rules allow (8192²), never a bomb's claim. */
export const MAX_DECODE_PIXELS = LIMITS.imageMaxSide * LIMITS.imageMaxSide;

/**
 * Facts about real bytes, for the shared rules. Only PNG and JPEG (by their magic bytes) are handed to
 * sharp, and only its header reader: an SVG is never rendered, a decompression bomb never decoded.
 * `readable` is false when sharp cannot even read the header of what looks like a PNG/JPEG.
 */
export async function inspectImage(bytes: Uint8Array): Promise<{ facts: ImageFacts; readable: boolean }> {
  const format = sniffFormat(bytes.subarray(0, 512));
  if (format !== 'png' && format !== 'jpeg') return { facts: sniffImage(bytes), readable: true };
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    const fmt = meta.format === 'jpeg' || meta.format === 'png' ? meta.format : 'unknown';
    // EXIF orientation 5–8 swaps the sides as viewers (and Kling) show the image.
    const swap = (meta.orientation ?? 1) >= 5;
    const width = meta.width ?? 0;
    const height = meta.height ?? 0;
    return {
      facts: {
        format: fmt,
        bytes: bytes.length,
        width: swap ? height : width,
        height: swap ? width : height,
      },
      readable: true,
    };
  } catch {
    return { facts: sniffImage(bytes), readable: false };
  }
}

/** A small JPEG of the start frame for task lists (EXIF orientation applied). */
export function makeThumbnail(bytes: Uint8Array): Promise<Buffer> {
  return sharp(bytes, { limitInputPixels: MAX_DECODE_PIXELS })
    .rotate()
    .resize(320, 320, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 78 })
    .toBuffer();
}
