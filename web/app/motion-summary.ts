import type { Draft } from '../editor/draft-types.ts';
import { describeCameraMove } from '../features/camera/camera-motion.ts';

/** One line about the motion that will be sent, for the summary. */
export function motionSummary(d: Draft): string {
  if (d.motionTab === 'camera') return `Camera — ${describeCameraMove(d.camera.type, d.camera.config)}`;
  if (d.motionTab === 'reference')
    return `Reference video — ${
      d.reference.orientation === 'image'
        ? 'the character keeps its facing from the picture'
        : 'the character faces as in the video'
    }`;
  if (d.motionTab === 'brush') return 'Motion brush — masks are rendered when you press Generate';
  return d.frames.end ? 'Start & end frames' : 'Start frame only — the prompt guides the motion';
}
