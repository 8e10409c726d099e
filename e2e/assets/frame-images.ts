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
 * The composer's test images, generated at test time (nothing binary in git). Each breaks exactly one
 * image rule, so each refusal message can be checked on its own.
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
  /** 200×150: below 300 px. */
  tiny: async (): Promise<FilePayload> => ({
    name: 'tiny.png',
    mimeType: 'image/png',
    buffer: await gradientPng(200, 150, 90),
  }),
  /** 300×840: 1:2.8, narrower than 1:2.5. */
  narrow: async (): Promise<FilePayload> => ({
    name: 'narrow.png',
    mimeType: 'image/png',
    buffer: await gradientPng(300, 840, 90),
  }),
  /** An uncompressed 2000×1900 PNG: about 10.9 MB, over the 10 MB limit. */
  tooBig: async (): Promise<FilePayload> => ({
    name: 'too-big.png',
    mimeType: 'image/png',
    buffer: await sharp({ create: { width: 2000, height: 1900, channels: 3, background: '#3a6ea5' } })
      .png({ compressionLevel: 0 })
      .toBuffer(),
  }),
  /** Text with a .png name: refused by content, not by name. */
  notAnImage: async (): Promise<FilePayload> => ({
    name: 'holiday.png',
    mimeType: 'image/png',
    buffer: Buffer.from('This is a text file wearing a .png name.\n'),
  }),
};
