/**
 * Decoding request images with sharp (libvips, on libuv's thread pool, so off the event loop) into
 * raw buffers at the output size, the only resolution the render ever works at.
 */
import sharp from 'sharp';
import type { Size } from './frame-geometry.ts';

/**
 * The stored pixel size, deliberately ignoring EXIF orientation: trajectories are in the image's
 * native pixels, exactly what contract/ reads from the file header.
 */
export async function imageSize(bytes: Buffer): Promise<Size> {
  const { width, height } = await sharp(bytes).metadata();
  if (!width || !height) throw new RangeError('could not read the image size');
  return { width, height };
}

/** Opaque RGB (3 bytes a pixel), stretched to exactly `size` (same aspect up to rounding). */
export async function decodeRgb(bytes: Buffer, size: Size): Promise<Uint8Array> {
  const { data, info } = await sharp(bytes)
    // Transparent areas become black rather than whatever colour hides under zero alpha.
    .flatten({ background: '#000000' })
    .toColourspace('srgb')
    .resize(size.width, size.height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || data.length !== size.width * size.height * 3) {
    throw new Error(
      `expected 8-bit RGB at ${size.width}x${size.height} after decoding, got ${info.channels} channels`,
    );
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/**
 * A mask as one grey byte a pixel at `size`. Masks painted on a transparent canvas count their
 * transparent parts as black (not in the region). Bilinear keeps the >127 test meaningful at edges.
 */
export async function decodeMaskGrey(bytes: Buffer, size: Size): Promise<Uint8Array> {
  const { data, info } = await sharp(bytes)
    .flatten({ background: '#000000' })
    .toColourspace('b-w')
    .resize(size.width, size.height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1 || data.length !== size.width * size.height) {
    throw new Error(
      `expected an 8-bit grey mask at ${size.width}x${size.height}, got ${info.channels} channels`,
    );
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}
