import sharp from 'sharp';
import { pngImage, type Rgb } from '../../contract/testing/test-images.ts';
import { asBuffer, type FilePayload } from './frame-images.ts';

/**
 * Start frames for the motion brush journeys, generated at test time. A frame with features in known
 * places (a disc lower left, a bar upper right, on a diagonal gradient) so a screenshot of a failed
 * run reads at a glance.
 */
export async function brushFrame(width: number, height: number): Promise<FilePayload> {
  const [from, to]: [Rgb, Rgb] = [
    [0x20, 0x30, 0x4f],
    [0xd9, 0xb4, 0x6a],
  ];
  const r = Math.min(width, height) * 0.1;
  const pixel = (x: number, y: number): Rgb => {
    if ((x - width * 0.25) ** 2 + (y - height * 0.72) ** 2 <= r * r) return [0xd9, 0x48, 0x48];
    if (x >= width * 0.65 && x < width * 0.85 && y >= height * 0.12 && y < height * 0.2)
      return [0x3d, 0x8b, 0xd9];
    const t = (x / width + y / height) / 2;
    const mix = (i: 0 | 1 | 2) => from[i] + (to[i] - from[i]) * t;
    return [mix(0), mix(1), mix(2)];
  };
  return {
    name: `brush-frame-${width}x${height}.png`,
    mimeType: 'image/png',
    buffer: asBuffer(pngImage(width, height, { pixel })),
  };
}

/** A mask from a request (raw base64 PNG) as pixels: size, channels and a white/black reader. */
export async function readMask(base64: string) {
  const png = Buffer.from(base64, 'base64');
  const meta = await sharp(png).metadata();
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  // Greyscale, whatever the encoder wrote: one byte per pixel.
  const px = await sharp(png).greyscale().extractChannel(0).raw().toBuffer();
  const white = (x: number, y: number) => px[Math.round(y) * width + Math.round(x)]! >= 128;
  /** Bounding box of the white pixels, or null when the mask is empty. */
  const bounds = () => {
    let minX = width;
    let minY = height;
    let maxX = -1;
    let maxY = -1;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        if (px[y * width + x]! >= 128) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
    return maxX < 0 ? null : { minX, minY, maxX, maxY };
  };
  const binary = () => {
    for (const v of px) if (v !== 0 && v !== 255) return false;
    return true;
  };
  return { format: meta.format, width, height, white, bounds, binary };
}
