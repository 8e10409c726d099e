import { useShallow } from 'zustand/react/shallow';
import { useCapabilities } from '../../api/capabilities.ts';
import { FeatureOffer } from '../../components/feature-offer.tsx';
import { draftOf, useEditorStore } from '../../editor/editor-store.ts';
import { featureOffer, offerView } from '../../editor/gating.ts';
import { FramePicker } from './frame-picker.tsx';

/** The "Start & end frames" tab: the optional end frame, and swapping the two. */
export function EndFramePanel() {
  const draft = useEditorStore(useShallow(draftOf));
  const swapFrames = useEditorStore((s) => s.swapFrames);
  const applySetup = useEditorStore((s) => s.applySetup);
  const { retiredModels } = useCapabilities();
  const offer = featureOffer(draft, 'endFrame', retiredModels);
  const { start, end } = draft.frames;
  return (
    <div className="end-frame-panel">
      <p className="field__hint">
        Add an end frame and Kling animates from the start frame to it. Without one, it animates from the
        start frame alone.
      </p>
      {!offer.supported && (
        // Without an end frame nothing is wrong yet (a start frame alone works everywhere), so the offer is a
        // quiet note; adding one switches the setup for the creator, with Undo.
        <FeatureOffer title="Start & end frames" compact={!end} {...offerView(draft, offer, applySetup)} />
      )}
      <FramePicker slot="end" title="End frame" />
      <button
        type="button"
        className="button button--ghost"
        onClick={swapFrames}
        disabled={!start && !end}
        title="The start frame becomes the end frame and the other way round"
      >
        ⇅ Swap start and end images
      </button>
    </div>
  );
}
