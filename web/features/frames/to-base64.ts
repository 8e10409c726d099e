import { encodeBase64 } from '../../../contract/images/base64.ts';

/**
 * Raw base64 of a file's bytes, as the contract's encodeBase64 writes it, but through the browser's
 * native btoa: about 20× faster on a 10 MB frame than building the string in JS.
 */
export function toBase64(bytes: Uint8Array): string {
  if (typeof btoa !== 'function') return encodeBase64(bytes);
  const CHUNK = 0x8000;
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK)
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  return btoa(binary);
}
