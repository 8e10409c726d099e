import { type CompressResult, minCompressScale, searchCompression } from './compress-search.ts';
import type { Box, Size } from './crop-box.ts';
import { upscaleSize } from './upscale-size.ts';

/**
 * The fixes themselves, in the browser: decode once (createImageBitmap, EXIF orientation applied as
 * viewers show it), draw onto a canvas (OffscreenCanvas where there is one), encode. Each returns a File
 * that goes through the same ingest as a picked one, so the contract's rules judge the result.
 */

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement;
type Ctx = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;
type Mime = 'image/png' | 'image/jpeg';

/** Re-encoding quality for a cropped or upscaled JPEG: the browsers' own default, visually lossless. */
const JPEG_QUALITY = 0.92;

function canvasOf({ width, height }: Size): { canvas: AnyCanvas; ctx: Ctx } {
  const canvas: AnyCanvas =
    typeof OffscreenCanvas === 'function'
      ? new OffscreenCanvas(width, height)
      : Object.assign(document.createElement('canvas'), { width, height });
  const ctx = canvas.getContext('2d') as Ctx | null;
  if (!ctx) throw new Error('This browser cannot draw pictures (no 2D canvas).');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  return { canvas, ctx };
}

function encode(canvas: AnyCanvas, type: Mime, quality?: number): Promise<Blob> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type, quality });
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('The picture could not be encoded.'))),
      type,
      quality,
    ),
  );
}

/**
 * Draws `source` (a region of the bitmap) at `size`. A JPEG has no transparency: transparent pixels go
 * onto white, as most viewers show them, instead of the encoder's black.
 */
function draw(bitmap: ImageBitmap, source: Box, size: Size, type: Mime): AnyCanvas {
  const { canvas, ctx } = canvasOf(size);
  if (type === 'image/jpeg') {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, size.width, size.height);
  }
  ctx.drawImage(bitmap, source.x, source.y, source.width, source.height, 0, 0, size.width, size.height);
  return canvas;
}

export async function decodePicture(file: Blob): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file);
  } catch {
    throw new Error('The browser could not read this picture to fix it.');
  }
}

const whole = (b: ImageBitmap): Box => ({ x: 0, y: 0, width: b.width, height: b.height });
const mimeOf = (file: Blob): Mime => (file.type === 'image/jpeg' ? 'image/jpeg' : 'image/png');

/** "holiday.png" → "holiday-cropped.png". */
export function fixedName(name: string, what: string, type: Mime): string {
  const base = name.replace(/\.[a-z0-9]{1,5}$/i, '') || 'picture';
  return `${base}-${what}.${type === 'image/jpeg' ? 'jpg' : 'png'}`;
}

async function toFile(canvas: AnyCanvas, type: Mime, name: string): Promise<File> {
  const blob = await encode(canvas, type, type === 'image/jpeg' ? JPEG_QUALITY : undefined);
  return new File([blob], name, { type });
}

/** The box's pixels, in the picture's own format (a PNG stays lossless). */
export async function cropPicture(file: File, box: Box, mime: Mime = mimeOf(file)): Promise<File> {
  const bitmap = await decodePicture(file);
  try {
    const canvas = draw(bitmap, box, box, mime);
    return await toFile(canvas, mime, fixedName(file.name, 'cropped', mime));
  } finally {
    bitmap.close();
  }
}

/** The short side to the rules' minimum, smoothly interpolated, in the picture's own format. */
export async function upscalePicture(file: File, mime: Mime = mimeOf(file)): Promise<File> {
  const bitmap = await decodePicture(file);
  try {
    const size = upscaleSize(bitmap);
    const canvas = draw(bitmap, whole(bitmap), size, mime);
    return await toFile(canvas, mime, fixedName(file.name, 'upscaled', mime));
  } finally {
    bitmap.close();
  }
}

export interface Compressed {
  file: File;
  quality: number;
  scale: number;
  size: Size;
}

/**
 * A JPEG under the size limit at the best quality that fits (compress-search.ts). The canvas is drawn once
 * per scale and re-encoded per quality step.
 */
export async function compressPicture(file: File): Promise<Compressed> {
  const bitmap = await decodePicture(file);
  try {
    let drawn: { scale: number; canvas: AnyCanvas; size: Size } | undefined;
    const sizeAt = (scale: number): Size => ({
      width: Math.max(1, Math.round(bitmap.width * scale)),
      height: Math.max(1, Math.round(bitmap.height * scale)),
    });
    const result: CompressResult<Blob> = await searchCompression(
      async (quality, scale) => {
        if (drawn?.scale !== scale) {
          const size = sizeAt(scale);
          drawn = { scale, size, canvas: draw(bitmap, whole(bitmap), size, 'image/jpeg') };
        }
        return encode(drawn.canvas, 'image/jpeg', quality);
      },
      { minScale: minCompressScale(bitmap.width, bitmap.height) },
    );
    if (!result.ok) throw new Error('Even a small, low-quality JPEG of this picture is over the limit.');
    return {
      file: new File([result.encoded], fixedName(file.name, 'compressed', 'image/jpeg'), {
        type: 'image/jpeg',
      }),
      quality: result.quality,
      scale: result.scale,
      size: sizeAt(result.scale),
    };
  } finally {
    bitmap.close();
  }
}
