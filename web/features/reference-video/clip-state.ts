import { create } from 'zustand';
import type { Violation } from '../../../contract/schemas/studio-api.ts';
import type { VideoFacts } from '../../../contract/video/container-header.ts';
import { useEditorStore } from '../../editor/editor-store.ts';
import { clipMessage } from './clip-field.ts';

/**
 * The clip in hand, which the draft does not keep: the File (for the preview and a second try), its
 * object URL, and where its upload stands. The draft keeps only what survives a reload: the upload's ref
 * and facts (editor store, `reference.clip`).
 */
export type ClipPhase =
  | { kind: 'idle' }
  | { kind: 'uploading'; loaded: number; total: number }
  /** The backend (or the network) refused the upload; `issues` are the backend's, word for word. */
  | { kind: 'failed'; message: string; issues: Violation[] }
  /** The upload was accepted once but is gone now (uploads last a day); `issue` is the backend's word. */
  | { kind: 'expired'; issue: Violation };

interface ClipState {
  file: Blob | null;
  fileName: string;
  /** An object URL of `file` for the <video> preview; revoked whenever the file is replaced. */
  previewUrl: string | null;
  /** The facts the browser read from `file`. */
  facts: VideoFacts | null;
  phase: ClipPhase;
  /** A newly picked file is being read (the current clip, and its upload, carry on meanwhile). */
  checking: boolean;
  /** Why the last picked file was refused by the browser (nothing was uploaded, nothing replaced). */
  rejected: Violation[];
}

export const INITIAL_CLIP: ClipState = {
  file: null,
  fileName: '',
  previewUrl: null,
  facts: null,
  phase: { kind: 'idle' },
  checking: false,
  rejected: [],
};

export const useClipStore = create<ClipState>()(() => INITIAL_CLIP);

/** The backend no longer has the upload (`upload_missing`): the creator must add the video again. */
export function clipExpired(issue?: Violation): void {
  useEditorStore.getState().setReferenceClip(null);
  useClipStore.setState({
    phase: {
      kind: 'expired',
      issue:
        issue ??
        clipMessage(
          'upload_missing',
          'the uploaded video is no longer stored (uploads last a day); add the video again',
        ),
    },
  });
}

/** What the tab tells Generate while its clip is not ready (it replaces "a reference video is required"). */
export function pendingViolations(phase: ClipPhase, checking = false): Violation[] {
  if (checking && phase.kind !== 'uploading')
    return [clipMessage('video_checking', 'the file is still being checked')];
  switch (phase.kind) {
    case 'uploading':
      return [clipMessage('video_uploading', `still uploading (${percent(phase.loaded, phase.total)} %)`)];
    case 'failed':
      return [clipMessage('video_upload_failed', `the upload failed: ${phase.message}`)];
    case 'expired':
      return [phase.issue];
    default:
      return [];
  }
}

export const percent = (loaded: number, total: number) =>
  total > 0 ? Math.min(100, Math.floor((loaded / total) * 100)) : 0;
