import { pngDataIntact } from '../../../contract/images/png-data.ts';
import { type ImageFacts, SNIFF_BYTES, sniffImage } from '../../../contract/images/sniff.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { imageDamaged, imageFactRules } from '../../../contract/rules/image-rules.ts';
import type { Violation } from '../../../contract/schemas/studio-api.ts';
import type { FrameSlot } from '../../editor/draft-types.ts';

export const FRAME_FIELD: Record<FrameSlot, 'image' | 'image_tail'> = { start: 'image', end: 'image_tail' };

export interface ImageCheck {
  facts: ImageFacts;
  /** The contract's image rules, in the same words the backend would use. */
  violations: Violation[];
}

/**
 * Checks an image from its real bytes (format by content, not by name): the leading bytes give format
 * and dimensions, `totalBytes` the size. The same rules the backend runs on the decoded base64.
 */
export function checkImageBytes(head: Uint8Array, totalBytes: number, slot: FrameSlot): ImageCheck {
  const facts = sniffImage(head.subarray(0, SNIFF_BYTES), totalBytes);
  return { facts, violations: imageFactRules(FRAME_FIELD[slot], facts, 'frame') };
}

// jpeg-js's words for a scan it could not read to the end: the data is damaged. Its other errors (a
// colour model or size it does not handle) say nothing about the file, so the backend judges those.
const JPEG_DAMAGE = /unexpected marker|invalid huffman|invalid ACn|marker was not found/;

/**
 * Does a JPEG's scan decode to its last block? Chromium shows a JPEG cut mid-scan as a whole picture
 * (createImageBitmap and img.decode() both succeed, the missing part grey), so the browser decodes it
 * itself with jpeg-js, loaded only when a JPEG is picked. Within the rules' pixel limit.
 */
async function jpegDecodes(bytes: Uint8Array): Promise<boolean> {
  const { decode } = await import('jpeg-js');
  try {
    decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: Math.ceil((LIMITS.imageMaxSide * LIMITS.imageMaxSide) / 1e6),
      maxMemoryUsageInMB: 1024,
    });
    return true;
  } catch (e) {
    return !JPEG_DAMAGE.test(e instanceof Error ? e.message : String(e));
  }
}

/**
 * The header rules, then — when they pass — the picture data itself, as the backend checks it before
 * anything is sent: a PNG's IDAT must inflate to its rows (the contract's own check), a JPEG must decode.
 */
export async function checkImageFile(bytes: Uint8Array, slot: FrameSlot): Promise<ImageCheck> {
  const check = checkImageBytes(bytes, bytes.length, slot);
  if (check.violations.length) return check;
  const intact = check.facts.format === 'png' ? await pngDataIntact(bytes) : await jpegDecodes(bytes);
  return intact ? check : { ...check, violations: [imageDamaged(FRAME_FIELD[slot])] };
}
