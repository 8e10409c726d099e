import type { TaskInputs } from '../../contract/schemas/studio-api.ts';
import { loadDraftFromRequest } from '../editor/load-draft.ts';
import { loadMotionBrush } from '../features/motion-brush/index.ts';

/**
 * Puts a task's inputs back where they were made: frames, model, mode, duration, prompt, camera, voices
 * into the composer's draft; masks and trajectories into the motion brush, at the start frame's size.
 * It lives in app/ because it joins two features: the tasks feature's Remix button calls it, and only
 * the motion brush can turn mask PNGs back into editable bitmaps in its own store.
 */
export async function remixIntoStudio(inputs: TaskInputs): Promise<void> {
  if (inputs.kind !== 'image2video') throw new Error('Remix of a motion-control task is not built yet');
  const { request, images } = inputs;
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
