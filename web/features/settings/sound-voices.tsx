import { type RefObject, useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { variantOf } from '../../../contract/capabilities/matrix.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { useCapabilities } from '../../api/capabilities.ts';
import { FeatureOffer } from '../../components/feature-offer.tsx';
import { FieldIssues } from '../../components/field-issues.tsx';
import { draftOf, useEditorStore } from '../../editor/editor-store.ts';
import { currentSetup, featureOffer, offerView } from '../../editor/gating.ts';
import { insertToken, voiceToken } from './insert-token.ts';

/** Sound on/off and up to two voices, for the models that generate audio (kling-v2-6 pro). */
export function SoundVoices({ promptRef }: { promptRef: RefObject<HTMLTextAreaElement | null> }) {
  const draft = useEditorStore(useShallow(draftOf));
  const a = useEditorStore(
    useShallow((s) => ({
      setSound: s.setSound,
      addVoice: s.addVoice,
      setVoice: s.setVoice,
      removeVoice: s.removeVoice,
      setPrompt: s.setPrompt,
      applySetup: s.applySetup,
    })),
  );
  const id = useId();
  const setup = currentSetup(draft);
  const variant = variantOf(setup.model, setup.mode, setup.duration);
  const { retiredModels } = useCapabilities();
  const offer = featureOffer(draft, 'voice', retiredModels);
  // Controls stay usable while something is set, so the creator can always turn it back off.
  const soundOff = !variant.sound && draft.sound === 'off';
  const voicesOff = !variant.voice && draft.voices.length === 0;

  function insertVoice(n: number) {
    const el = promptRef.current;
    const prompt = useEditorStore.getState().prompt;
    const start = el?.selectionStart ?? prompt.length;
    const end = el?.selectionEnd ?? start;
    const { text, caret } = insertToken(prompt, start, end, voiceToken(n));
    a.setPrompt(text);
    // After React has written the new value: put the caret right after the token.
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(caret, caret);
    });
  }

  function addVoice() {
    a.addVoice();
    // Kling refuses voices without sound; turning it on is what the creator means.
    if (draft.sound === 'off') a.setSound('on');
  }

  return (
    <fieldset className="sound-voices">
      <legend className="field__label">Sound &amp; voices</legend>
      {soundOff && voicesOff && (
        <FeatureOffer compact title="Sound and voices" {...offerView(draft, offer, a.applySetup)} />
      )}
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          aria-checked={draft.sound === 'on'}
          checked={draft.sound === 'on'}
          disabled={soundOff}
          onChange={(e) => a.setSound(e.target.checked ? 'on' : 'off')}
        />
        <span className="switch__track" aria-hidden="true" />
        <span>Sound</span>
      </label>
      <FieldIssues fields={['sound']} showClient />

      {draft.voices.length > 0 && (
        <ol className="voices">
          {draft.voices.map((v, i) => {
            const n = i + 1;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: a voice is its position (<<<voice_N>>>)
              <li key={i} className="voices__row">
                <label htmlFor={`${id}-v${n}`} className="sr-only">
                  {`Voice ${n} ID`}
                </label>
                <span className="voices__tag" aria-hidden="true">
                  {n}
                </span>
                <input
                  id={`${id}-v${n}`}
                  className="input"
                  placeholder="voice_id"
                  value={v}
                  onChange={(e) => a.setVoice(i, e.target.value)}
                />
                <button
                  type="button"
                  className="button"
                  aria-label={`Insert voice ${n}`}
                  title={`Insert ${voiceToken(n)} at the cursor in the prompt`}
                  onClick={() => insertVoice(n)}
                >
                  Insert voice
                </button>
                <button
                  type="button"
                  className="button button--ghost"
                  aria-label={`Remove voice ${n}`}
                  onClick={() => a.removeVoice(i)}
                >
                  ✕
                </button>
              </li>
            );
          })}
        </ol>
      )}
      <div className="field__row">
        <button
          type="button"
          className="button"
          onClick={addVoice}
          disabled={voicesOff || draft.voices.length >= LIMITS.voicesMax}
        >
          Add voice
        </button>
        <span className="field__hint">
          Up to {LIMITS.voicesMax}. Refer to them in the prompt as {voiceToken(1)}; voices are billed at
          Kling's with-voice rate.
        </span>
      </div>
      <FieldIssues fields={['voice_list']} showClient />
    </fieldset>
  );
}
