import type { TaskInputs } from '../../contract/schemas/studio-api.ts';
import { showNotice } from '../components/notices.tsx';
import { draftHasWork, restoreDraftSnapshot, takeDraftSnapshot } from '../editor/draft-snapshot.ts';
import { useEditorStore } from '../editor/editor-store.ts';
import { loadDraftFromMotionControl, loadDraftFromRequest } from '../editor/load-draft.ts';
import {
  loadMotionBrush,
  motionBrushHasWork,
  restoreMotionBrush,
  snapshotMotionBrush,
} from '../features/motion-brush/index.ts';
import { ingestClip, removeClip } from '../features/reference-video/index.ts';

type MotionControlInputs = Extract<TaskInputs, { kind: 'motion-control' }>;

export const REMIX_REPLACED = 'Remix replaced your draft with this task’s inputs.';
export const REMIX_LOADED = 'The task’s inputs are in the composer: change anything, then press Generate.';

/**
 * Puts a task's inputs back where they were made: frames, model, mode, duration, prompt, camera, voices
 * into the composer's draft; masks and trajectories into the motion brush, at the start frame's size; a
 * motion-control task's picture, settings and reference clip into the Reference video tab.
 * Nothing is replaced silently: when the draft held work (a picture, words, masks, a move…) a notice says
 * so and its "Restore my draft" puts the draft and the masks back exactly as they were.
 * It lives in app/ because it joins features: the tasks feature's Remix button calls it, and only the
 * motion brush can turn mask PNGs back into editable bitmaps in its own store, only the Reference video
 * tab can take a clip in.
 */
export async function remixIntoStudio(inputs: TaskInputs): Promise<void> {
  const draft = takeDraftSnapshot();
  const brush = snapshotMotionBrush();
  const replacing = draftHasWork(draft) || motionBrushHasWork(brush);
  try {
    if (inputs.kind === 'motion-control') await remixMotionControl(inputs);
    else await remixImage2Video(inputs);
  } finally {
    // Also when a step failed: whatever was loaded by then has replaced the draft.
    showNotice(
      replacing
        ? {
            message: REMIX_REPLACED,
            undoLabel: 'Restore my draft',
            undo: () => {
              // A reference clip still uploading for the remix must not land in the restored draft.
              const settle = inputs.kind === 'motion-control' ? removeClip() : Promise.resolve();
              void settle.then(() => {
                restoreDraftSnapshot(draft);
                restoreMotionBrush(brush);
              });
            },
          }
        : { message: REMIX_LOADED },
    );
  }
}

async function remixImage2Video({ request, images }: Extract<TaskInputs, { kind: 'image2video' }>) {
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

/**
 * The picture and settings at once; then the stored reference, fetched and uploaded again through the
 * tab (the same checks and progress as a picked file), so it gets a fresh ref: the task's own may have
 * expired.
 */
async function remixMotionControl({ request, reference }: MotionControlInputs): Promise<void> {
  await removeClip();
  loadDraftFromMotionControl(request);
  const facts = useEditorStore.getState().frames.start?.facts;
  if (facts && facts.width > 0) await loadMotionBrush({}, { width: facts.width, height: facts.height });
  const res = await fetch(reference.url);
  if (!res.ok)
    throw new Error(`The task's reference video could not be read (the studio answered ${res.status})`);
  const outcome = await ingestClip(await res.blob(), 'Reference video (remix)');
  if (outcome === 'refused' || outcome === 'failed')
    throw new Error('The reference video could not be uploaded again; the Reference video tab says why.');
}
