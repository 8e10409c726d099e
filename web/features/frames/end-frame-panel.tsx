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
  const view = offerView(draft, offer, applySetup);
  // The store itself moves to the same model's nearest setup that takes an end frame, so only a switch of
  // model (or none at all) needs the full offer before the creator adds one.
  const quiet = !end && offer.switchTo?.model === draft.model && !!view.switchLabel;
  return (
    <div className="end-frame-panel">
      <p className="field__hint">
        Add an end frame and Kling animates from the start frame to it. Without one, it animates from the
        start frame alone.
      </p>
      {!offer.supported &&
        (quiet ? (
          // Nothing is wrong yet (a start frame alone works everywhere): say what adding an end frame will do.
          <p className="field__hint" role="note">
            Adding an end frame moves this setup to <strong>{view.switchLabel}</strong>
            {view.switchCost ? ` (${view.switchCost})` : ''}, with Undo.
          </p>
        ) : (
          <FeatureOffer title="Start & end frames" {...view} />
        ))}
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
