import {
  decodeBase64Prefix,
  encodeBase64,
  hasDataPrefix,
  isHttpUrl,
} from '../../../../contract/images/base64.ts';
import { MaskBitmap } from '../model/mask-bitmap.ts';
import { decodePngGray, encodeGrayPng, type GrayImage, toBinary, UnsupportedPng } from '../model/png.ts';
import type { Size } from '../model/types.ts';

/**
 * Mask bitmap ⇄ PNG bytes ⇄ base64. A mask is written as an 8-bit greyscale PNG, white (255) where
 * painted, black elsewhere, at exactly the bitmap's size.
 */
export async function bitmapToPng(bitmap: MaskBitmap, size?: Size): Promise<Uint8Array> {
  const b =
    size && (size.width !== bitmap.width || size.height !== bitmap.height)
      ? bitmap.resized(size.width, size.height)
      : bitmap;
  return encodeGrayPng(b.width, b.height, b.data);
}

export async function bitmapToBase64(bitmap: MaskBitmap, size?: Size): Promise<string> {
  return encodeBase64(await bitmapToPng(bitmap, size));
}

/** Decodes what fast-png cannot (a JPEG mask) with the browser — the fallback of imageBytesToBitmap. */
async function decodeWithBrowser(bytes: Uint8Array): Promise<GrayImage> {
  if (typeof createImageBitmap === 'undefined') throw new UnsupportedPng('no image decoder available here');
  const img = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  const canvas = document.createElement('canvas');
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new UnsupportedPng('no 2D canvas');
  ctx.drawImage(img, 0, 0);
  const rgba = ctx.getImageData(0, 0, img.width, img.height).data;
  const gray = new Uint8Array(img.width * img.height);
  for (let i = 0; i < gray.length; i++)
    gray[i] = Math.round(
      ((0.299 * rgba[4 * i]! + 0.587 * rgba[4 * i + 1]! + 0.114 * rgba[4 * i + 2]!) * rgba[4 * i + 3]!) / 255,
    );
  img.close();
  return { width: canvas.width, height: canvas.height, gray };
}

/** Image bytes → binary mask bitmap at `size` (scaled nearest-neighbour if the mask is another size). */
export async function imageBytesToBitmap(bytes: Uint8Array, size?: Size): Promise<MaskBitmap> {
  let img: GrayImage;
  try {
    img = await decodePngGray(bytes);
  } catch (e) {
    if (!(e instanceof UnsupportedPng)) throw e;
    img = await decodeWithBrowser(bytes);
  }
  const bitmap = new MaskBitmap(img.width, img.height, toBinary(img.gray));
  return size && (size.width !== img.width || size.height !== img.height)
    ? bitmap.resized(size.width, size.height)
    : bitmap;
}

/** A request's mask value (raw base64, a data URL, or an http(s) URL) → bytes. */
export async function maskValueToBytes(value: string): Promise<Uint8Array> {
  if (isHttpUrl(value)) {
    const res = await fetch(value);
    if (!res.ok) throw new Error(`The mask at ${value} could not be fetched (${res.status})`);
    return new Uint8Array(await res.arrayBuffer());
  }
  const raw = hasDataPrefix(value) ? value.slice(value.indexOf(',') + 1) : value;
  return decodeBase64Prefix(raw.replace(/\s+/g, ''));
}
