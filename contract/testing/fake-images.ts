import { encodeBase64 } from '../images/base64.ts';

/**
 * Header-only image bytes: enough for sniffImage to read format and dimensions. The rules look at
 * headers (never pixels), so these make table-driven tests cheap; real decoding is tested server-side.
 */
export function pngHeader(width: number, height: number, totalBytes = 64): Uint8Array {
  const b = new Uint8Array(Math.max(totalBytes, 33));
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const dv = new DataView(b.buffer);
  dv.setUint32(16, width);
  dv.setUint32(20, height);
  b.set([8, 6, 0, 0, 0], 24);
  return b;
}

export function jpegHeader(width: number, height: number): Uint8Array {
  // SOI, an APP0 segment, then SOF0 with height and width.
  const app0 = [
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00,
  ];
  const sof = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
}

export const pngB64 = (w: number, h: number, totalBytes?: number) =>
  encodeBase64(pngHeader(w, h, totalBytes));
export const jpegB64 = (w: number, h: number) => encodeBase64(jpegHeader(w, h));
