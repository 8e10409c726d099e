import { type ImageCheck, imageCheckSchema } from '../../../contract/schemas/studio-api.ts';
import { apiFetch } from '../../api/client.ts';
import type { FrameSlot } from '../../editor/draft-types.ts';
import { FRAME_FIELD } from './check-image.ts';

/**
 * POST /api/image-check: the studio fetches the URL (safely, as create will) and judges the real bytes by
 * the contract's rules. The browser never loads the creator's host itself: the preview is the studio's
 * thumbnail.
 */
export function checkImageUrl(url: string, slot: FrameSlot): Promise<ImageCheck> {
  return apiFetch('/api/image-check', imageCheckSchema, {
    method: 'POST',
    body: JSON.stringify({ url, field: FRAME_FIELD[slot] }),
  });
}
