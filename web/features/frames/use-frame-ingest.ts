import { useState } from 'react';
import type { ImageFacts } from '../../../contract/images/sniff.ts';
import type { Violation } from '../../../contract/schemas/studio-api.ts';
import { showNotice } from '../../components/notices.tsx';
import type { Frame, FrameSlot } from '../../editor/draft-types.ts';
import { useEditorStore } from '../../editor/editor-store.ts';
import { FRAME_FIELD } from './check-image.ts';
import { frameFromFile, type IngestResult } from './ingest.ts';

/** A picture the rules refused, with what a fix needs. */
export interface Refusal {
  violations: Violation[];
  /** The refused file (picked, dropped, pasted, or a fix's result that still breaks a rule), for a fix. */
  picture?: File;
  /** Its header's facts: a fix keeps a PNG a PNG by content, whatever the file is named. */
  facts?: ImageFacts;
  /** The studio's thumbnail of a refused URL. */
  thumbnail?: string;
  /** A fix that could not run, in plain words. */
  fixError?: string;
}

export interface FrameIngestState {
  /** What is being done ("Checking the image…", "Compressing…"), or null. */
  busy: string | null;
  refusal: Refusal | null;
  note: string | undefined;
}

const IDLE: FrameIngestState = { busy: null, refusal: null, note: undefined };
const CHECKING = 'Checking the image…';

/** A fix's result: the new picture, and the sentence that says what was done to it. */
export interface FixOutcome {
  file: File;
  says: (facts: ImageFacts) => string;
}

/**
 * Applies ingest results to the draft: a refused image never replaces the current frame. A fix runs on the
 * refused picture, its result goes through the same ingest as a picked file, and when it is accepted a
 * notice says what was changed, with an Undo that brings back the frame before and the refusal.
 */
export function useFrameIngest(slot: FrameSlot) {
  const setFrame = useEditorStore((s) => s.setFrame);
  const [state, setState] = useState<FrameIngestState>(IDLE);

  function refused(r: Extract<IngestResult, { ok: false }>, picture?: File): Refusal {
    return {
      violations: r.violations,
      ...(picture ? { picture } : {}),
      ...(r.facts ? { facts: r.facts } : {}),
      ...(r.thumbnail ? { thumbnail: r.thumbnail } : {}),
    };
  }

  /**
   * Picks, drops, pastes and URLs. `picture` is the file being judged, kept for a fix if it is refused.
   * Resolves true when the result became the frame.
   */
  async function run(work: () => Promise<IngestResult>, picture?: File): Promise<boolean> {
    setState({ ...IDLE, busy: CHECKING });
    try {
      const r = await work();
      if (r.ok) {
        setFrame(slot, r.frame);
        setState({ ...IDLE, note: r.note });
        return true;
      }
      setState({ ...IDLE, refusal: refused(r, picture) });
      return false;
    } catch {
      setState({
        ...IDLE,
        refusal: {
          violations: [
            { field: FRAME_FIELD[slot], rule: 'unreadable', message: 'The file could not be read.' },
          ],
        },
      });
      return false;
    }
  }

  async function fix(name: string, busy: string, make: () => Promise<FixOutcome>) {
    const before: Frame | null = useEditorStore.getState().frames[slot];
    const refusalBefore = state.refusal;
    setState({ ...IDLE, busy, refusal: refusalBefore });
    try {
      const { file, says } = await make();
      const r = await frameFromFile(file, slot, { encodedHere: true });
      if (!r.ok) return setState({ ...IDLE, refusal: refused(r, file) });
      setFrame(slot, r.frame);
      setState(IDLE);
      if (r.frame.source === 'file')
        showNotice({
          message: says(r.frame.facts),
          undoLabel: `Undo ${name}`,
          undo: () => {
            setFrame(slot, before);
            setState({ ...IDLE, refusal: refusalBefore });
          },
        });
    } catch (e) {
      setState({
        ...IDLE,
        refusal: refusalBefore && {
          ...refusalBefore,
          fixError: e instanceof Error ? e.message : 'The picture could not be fixed.',
        },
      });
    }
  }

  return {
    state,
    run,
    fix,
    /** A refusal found outside run (a stored URL checked again). */
    refuse: (r: Extract<IngestResult, { ok: false }>) => setState({ ...IDLE, refusal: refused(r) }),
    clear: () => setState(IDLE),
  };
}
