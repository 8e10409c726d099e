import { type ImageFacts, SNIFF_BYTES, sniffImage } from '../../../contract/images/sniff.ts';
import { imageFactRules } from '../../../contract/rules/image-rules.ts';
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
