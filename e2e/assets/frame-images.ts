import sharp from 'sharp';

/** A file as Playwright's setInputFiles takes it. */
export interface FilePayload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** A gradient PNG (gradients make camera moves visible in the simulated video). */
async function gradientPng(width: number, height: number, tint: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = tint;
    }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/**
 * The composer's valid test images, generated at test time (nothing binary in git). The files each image
 * rule refuses are in bad-images.ts.
 */
export const frameImages = {
  /** 1280×720 PNG: valid. */
  valid: async (): Promise<FilePayload> => ({
    name: 'valid-start.png',
    mimeType: 'image/png',
    buffer: await gradientPng(1280, 720, 160),
  }),
  /** 1280×720 JPEG: a valid end frame. */
  validEnd: async (): Promise<FilePayload> => ({
    name: 'valid-end.jpg',
    mimeType: 'image/jpeg',
    buffer: await sharp(await gradientPng(1280, 720, 40))
      .jpeg({ quality: 80 })
      .toBuffer(),
  }),
};
