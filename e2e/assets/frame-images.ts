import { jpegImage, pngImage } from '../../contract/testing/test-images.ts';

/** A file as Playwright's setInputFiles takes it. */
export interface FilePayload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** Node's view of the shared test images (contract/testing/test-images.ts). */
export const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * The composer's valid test images, generated at test time (nothing binary in git): gradients, which
 * make camera moves visible in the simulated video. The files each image rule refuses are in bad-images.ts.
 */
export const frameImages = {
  /** 1280×720 PNG: valid. */
  valid: async (): Promise<FilePayload> => ({
    name: 'valid-start.png',
    mimeType: 'image/png',
    buffer: asBuffer(pngImage(1280, 720, { blue: 160 })),
  }),
  /** 1280×720 JPEG: a valid end frame. */
  validEnd: async (): Promise<FilePayload> => ({
    name: 'valid-end.jpg',
    mimeType: 'image/jpeg',
    buffer: asBuffer(jpegImage(1280, 720, { blue: 40, quality: 80 })),
  }),
};
