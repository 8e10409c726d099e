/**
 * The Reference video tab's public face (motion control). web/app hosts the panel, asks what blocks
 * Generate while the clip uploads, and puts a remixed task's clip back through ingestClip.
 *
 * The panel and the clip's pipeline (the box reader, the upload) load when the tab first renders or a
 * remix needs them: they are not part of the first screen. The clip's state is small and stays here,
 * since Generate must know about an upload in flight.
 */
import { createElement, lazy, Suspense, useMemo } from 'react';
import type { Violation } from '../../../contract/schemas/studio-api.ts';
import type { IngestOutcome } from './clip-pipeline.ts';
import { pendingViolations, useClipStore } from './clip-state.ts';

export { clipExpired } from './clip-state.ts';
export type { IngestOutcome };

const pipeline = () => import('./clip-pipeline.ts');

/** A picked or remixed clip: checked by the contract's rules, then uploaded (see clip-pipeline.ts). */
export const ingestClip = async (blob: Blob, name: string): Promise<IngestOutcome> =>
  (await pipeline()).ingestClip(blob, name);

/** Forgets the clip in hand and the draft's upload (a remix starts from nothing). */
export const removeClip = async (): Promise<void> => (await pipeline()).removeClip();

const LazyPanel = lazy(() => import('./reference-panel.tsx').then((m) => ({ default: m.ReferencePanel })));

export function ReferencePanel() {
  return createElement(
    Suspense,
    {
      fallback: createElement(
        'p',
        { className: 'brush-loading', role: 'status' },
        'Loading the reference video tab…',
      ),
    },
    createElement(LazyPanel),
  );
}

/** The reasons Generate waits on the tab (checking, uploading, a refused or expired upload). */
export function useReferenceViolations(): Violation[] {
  const phase = useClipStore((s) => s.phase);
  const checking = useClipStore((s) => s.checking);
  return useMemo(() => pendingViolations(phase, checking), [phase, checking]);
}

/** The clip's length the browser has read, before (or without) the upload's own facts. */
export const useClipDurationMs = (): number | undefined => useClipStore((s) => s.facts?.durationMs);
