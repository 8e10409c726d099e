import sharp from 'sharp';
import type { FilePayload } from './frame-images.ts';

/**
 * Start frames for the motion brush journeys, generated at test time. A frame with features in known
 * places (a disc lower left, a bar upper right) so a screenshot of a failed run reads at a glance.
 */
export async function brushFrame(width: number, height: number): Promise<FilePayload> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#20304f"/><stop offset="1" stop-color="#d9b46a"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width * 0.25}" cy="${height * 0.72}" r="${Math.min(width, height) * 0.1}" fill="#d94848"/>
    <rect x="${width * 0.65}" y="${height * 0.12}" width="${width * 0.2}" height="${height * 0.08}" fill="#3d8bd9"/>
  </svg>`;
  return {
    name: `brush-frame-${width}x${height}.png`,
    mimeType: 'image/png',
    buffer: await sharp(Buffer.from(svg)).png().toBuffer(),
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
