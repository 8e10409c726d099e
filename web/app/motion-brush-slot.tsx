import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { MotionBrushFields } from '../../contract/schemas/create-request.ts';
import type { Violation } from '../../contract/schemas/studio-api.ts';
import { useCapabilities } from '../api/capabilities.ts';
import { FeatureOffer } from '../components/feature-offer.tsx';
import { draftOf, useEditorStore } from '../editor/editor-store.ts';
import { featureOffer, offerView } from '../editor/gating.ts';
import { restoreDraft } from '../editor/restore-draft.ts';
import {
  buildMotionBrushFields,
  MotionBrushEditor,
  useMotionBrushViolations,
} from '../features/motion-brush/index.ts';

/** The start frame as the motion brush sees it: native pixel size, so masks match it exactly. */
export interface BrushImage {
  src: string;
  width: number;
  height: number;
}

export interface MotionBrushPort {
  /** Masks and paths as request fields, rendered at the start frame's native size. */
  build?: () => Promise<MotionBrushFields>;
  /** Problems with the masks and paths as they stand (nothing painted, a path without paint…). */
  violations: readonly Violation[];
}

/** What the composer needs from the motion brush: its fields at submit, its problems before. */
export function useMotionBrushPort(image: BrushImage | null): MotionBrushPort {
  const violations = useMotionBrushViolations();
  const width = image?.width;
  const height = image?.height;
  const build = useMemo(
    () => (width && height ? () => buildMotionBrushFields({ width, height }) : undefined),
    [width, height],
  );
  return { build, violations };
}

/** The settings a motion-brush recipe carries along with its masks (not the frames: those are big). */
function recipeSettings() {
  const { model, mode, duration, prompt, negativePrompt, cfgScale } = useEditorStore.getState();
  return { model, mode, duration, prompt, negativePrompt, cfgScale };
}

/** A recipe's settings, repaired like anything read from outside, over the current draft. */
function applyRecipeSettings(settings: unknown) {
  if (typeof settings !== 'object' || settings === null) return;
  const s = useEditorStore.getState();
  const merged = restoreDraft({
    ...s,
    ...settings,
    frames: s.frames,
    camera: s.camera,
    motionTab: s.motionTab,
  });
  s.replaceDraft({ ...merged, frames: s.frames });
}

export function MotionBrushSlot({ image }: { image: BrushImage | null }) {
  const draft = useEditorStore(useShallow(draftOf));
  const applySetup = useEditorStore((s) => s.applySetup);
  const { retiredModels } = useCapabilities();
  const offer = featureOffer(draft, 'motionBrush', retiredModels);
  return (
    <div className="brush-slot">
      {!offer.supported && <FeatureOffer title="Motion brush" {...offerView(draft, offer, applySetup)} />}
      <MotionBrushEditor
        image={image}
        duration={draft.duration}
        recipeSettings={recipeSettings}
        onRecipeSettings={applyRecipeSettings}
      />
    </div>
  );
}
