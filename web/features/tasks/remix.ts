import type { TaskInputs } from '../../../contract/schemas/studio-api.ts';
import { loadDraftFromRequest } from '../../editor/load-draft.ts';
// The one place this feature reaches into another: the motion brush keeps masks and paths in its own
// store, and only it can turn mask PNGs back into editable bitmaps.
import { loadMotionBrush } from '../motion-brush/index.ts';

/**
 * Puts a task's inputs back where they were made: frames, model, mode, duration, prompt, camera, voices
 * into the composer's draft; masks and trajectories into the motion brush, at the start frame's size.
 */
export async function remixIntoStudio({ request, images }: TaskInputs): Promise<void> {
  loadDraftFromRequest(request);
  const start = images.image;
  // The brush is reset even when this task had no masks: masks painted for another frame would not fit.
  if (start) {
    await loadMotionBrush(
      { static_mask: request.static_mask, dynamic_masks: request.dynamic_masks },
      { width: start.width, height: start.height },
    );
  }
}
