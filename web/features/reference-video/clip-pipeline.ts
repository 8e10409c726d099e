import { ApiError } from '../../api/client.ts';
import { UploadAborted, uploadVideo } from '../../api/upload-video.ts';
import { useEditorStore } from '../../editor/editor-store.ts';
import { checkClip } from './check-clip.ts';
import { clipMessage } from './clip-field.ts';
import { INITIAL_CLIP, useClipStore } from './clip-state.ts';

/**
 * What happens to a picked clip: the contract's checks on its bytes, then the upload with its progress.
 * Loaded with the tab (or by a remix), not with the first screen.
 */
let controller: AbortController | undefined;
/** Each pick, and each upload, gets a number; the answers of an older one are dropped. */
let pickTurn = 0;
let uploadTurn = 0;

function objectUrl(blob: Blob): string | null {
  return typeof URL.createObjectURL === 'function' ? URL.createObjectURL(blob) : null;
}

function revoke(url: string | null) {
  if (url && typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(url);
}

export type IngestOutcome = 'uploaded' | 'refused' | 'failed' | 'superseded';

/** Uploads the clip in hand; the draft gets its ref once the backend has accepted it. */
async function upload(): Promise<IngestOutcome> {
  const { file, facts, fileName } = useClipStore.getState();
  if (!file || !facts || facts.format === 'unknown') return 'refused';
  const turn = ++uploadTurn;
  controller?.abort();
  const mine = new AbortController();
  controller = mine;
  useClipStore.setState({ phase: { kind: 'uploading', loaded: 0, total: file.size } });
  try {
    const up = await uploadVideo(file, {
      format: facts.format,
      signal: mine.signal,
      onProgress: ({ loaded, total }) => {
        if (turn === uploadTurn) useClipStore.setState({ phase: { kind: 'uploading', loaded, total } });
      },
    });
    if (turn !== uploadTurn) return 'superseded';
    useEditorStore.getState().setReferenceClip({ upload: up, name: fileName, hasAudio: facts.hasAudio });
    useClipStore.setState({ phase: { kind: 'idle' } });
    return 'uploaded';
  } catch (err) {
    if (err instanceof UploadAborted || turn !== uploadTurn) return 'superseded';
    const api = err instanceof ApiError ? err : undefined;
    useClipStore.setState({
      phase: {
        kind: 'failed',
        message: api?.message ?? (err instanceof Error ? err.message : String(err)),
        issues: api?.issues ?? [],
      },
    });
    return 'failed';
  } finally {
    if (controller === mine) controller = undefined;
  }
}

/**
 * A picked (or remixed) clip: the contract's rules on its bytes first, and only when they pass does it
 * replace the current clip and upload. A refused file changes nothing but the message.
 */
export async function ingestClip(blob: Blob, name: string): Promise<IngestOutcome> {
  const turn = ++pickTurn;
  useClipStore.setState({ rejected: [], checking: true });
  let check: Awaited<ReturnType<typeof checkClip>>;
  try {
    check = await checkClip(blob);
  } catch {
    check = {
      facts: { format: 'unknown', bytes: blob.size, width: 0, height: 0, durationMs: 0, hasAudio: false },
      violations: [clipMessage('video_unreadable', 'the file could not be read')],
    };
  }
  if (turn !== pickTurn) return 'superseded';
  if (check.violations.length) {
    useClipStore.setState({ rejected: check.violations, checking: false });
    return 'refused';
  }
  revoke(useClipStore.getState().previewUrl);
  useClipStore.setState({
    file: blob,
    fileName: name,
    previewUrl: objectUrl(blob),
    facts: check.facts,
    checking: false,
  });
  useEditorStore.getState().setReferenceClip(null);
  return upload();
}

/** "Upload again" after a failed or expired upload, with the file still in hand. */
export function retryUpload(): Promise<IngestOutcome> {
  return upload();
}

export function removeClip(): void {
  pickTurn++;
  uploadTurn++;
  controller?.abort();
  revoke(useClipStore.getState().previewUrl);
  useClipStore.setState(INITIAL_CLIP);
  useEditorStore.getState().setReferenceClip(null);
}

/** For tests: forget the clip in hand. */
export function resetClip(): void {
  removeClip();
}
