import type { Draft } from './draft-types.ts';
import { draftOf, useEditorStore } from './editor-store.ts';

/**
 * Whether a draft holds the creator's work, which replacing it (a Remix) would throw away: a picture, any
 * words, a camera move, voices, a reference clip or storyboard shots. Model, mode and length alone are
 * settings, not work.
 */
export function draftHasWork(d: Draft): boolean {
  return (
    !!d.frames.start ||
    !!d.frames.end ||
    !!d.prompt.trim() ||
    !!d.negativePrompt.trim() ||
    d.voices.some((v) => v.trim()) ||
    Object.values(d.camera.config).some((v) => v !== 0) ||
    !!d.reference.clip ||
    d.storyboard.shots.some((s) => s.prompt.trim()) ||
    d.storyboard.elements.some((e) => e.trim())
  );
}

/**
 * The composer's draft as it stands, to put back later exactly (Undo of a Remix). Holding the store's
 * objects is enough: every change to the draft replaces them rather than editing them in place.
 */
export const takeDraftSnapshot = (): Draft => draftOf(useEditorStore.getState());

export const restoreDraftSnapshot = (draft: Draft): void => useEditorStore.getState().replaceDraft(draft);
