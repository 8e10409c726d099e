import { type RefObject, useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { variantOf } from '../../../contract/capabilities/matrix.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { unitsChangeWords } from '../../../contract/words/setup-words.ts';
import { useCapabilities } from '../../api/capabilities.ts';
import { FeatureOffer } from '../../components/feature-offer.tsx';
import { FieldIssues } from '../../components/field-issues.tsx';
import { showNotice } from '../../components/notices.tsx';
import { draftOf, useEditorStore } from '../../editor/editor-store.ts';
import { currentSetup, featureOffer, offerView } from '../../editor/gating.ts';
import { noticeRate, setupUnits } from '../../editor/setup-change.ts';
import { insertToken, voiceToken } from './insert-token.ts';
import { voiceNamed } from './voice-library.ts';
import { useSavedVoices, VoiceLibraryPanel } from './voice-library-panel.tsx';

/** Why Sound is off up front with an end frame: the contract refuses it (sound_with_end_frame) at Generate. */
export const SILENT_FRAMES_REASON =
  'Kling renders start & end frame videos without sound. To add sound or voices, remove the end frame or pick another motion.';

/**
 * Sound on/off and up to two voices, for the models that generate audio (kling-v2-6 pro, kling-v3), each
 * voice picked from the library by name (or typed as an id), and the library itself.
 */
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
  const saved = useSavedVoices();
  const setup = currentSetup(draft);
  const variant = variantOf(setup.model, setup.mode, setup.duration);
  const { retiredModels } = useCapabilities();
  const offer = featureOffer(draft, 'voice', retiredModels);
  // Kling renders start & end frame videos silent: sound is off up front, with the reason beside it.
  const silentFrames = draft.motionTab === 'frames' && !!draft.frames.end;
  // No offer beside silent frames: no setup would let this draft have sound.
  const showOffer =
    !silentFrames && !variant.sound && !variant.voice && draft.sound === 'off' && draft.voices.length === 0;
  // Controls stay usable while something is set, so the creator can always turn it back off.
  const soundOff = (!variant.sound || silentFrames) && draft.sound === 'off';
  const voicesOff = (!variant.voice || silentFrames) && draft.voices.length === 0;
  const reasonId = `${id}-silent`;

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
    const before = { sound: draft.sound, voices: draft.voices };
    a.addVoice();
    // Kling refuses voices without sound; turning it on is what the creator means, said with its price.
    if (draft.sound === 'off') {
      a.setSound('on');
      const after = useEditorStore.getState();
      const was = setupUnits(setup, before);
      const now = setupUnits(setup, after);
      const cost =
        was !== undefined && now !== undefined ? ` (${unitsChangeWords(now - was, noticeRate())})` : '';
      showNotice({
        message: `Sound is on${cost} because voices need sound`,
        undo: () => useEditorStore.setState(before),
      });
    }
  }

  return (
    <fieldset className="sound-voices">
      <legend className="field__label">Sound &amp; voices</legend>
      {showOffer && (
        <FeatureOffer compact title="Sound and voices" {...offerView(draft, offer, a.applySetup)} />
      )}
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          aria-checked={draft.sound === 'on'}
          checked={draft.sound === 'on'}
          disabled={soundOff}
          aria-describedby={silentFrames ? reasonId : undefined}
          onChange={(e) => a.setSound(e.target.checked ? 'on' : 'off')}
        />
        <span className="switch__track" aria-hidden="true" />
        <span>Sound</span>
      </label>
      {silentFrames && (
        <p id={reasonId} className="field__hint sound-voices__reason">
          {SILENT_FRAMES_REASON}
        </p>
      )}
      <FieldIssues fields={['sound']} showClient />

      {draft.voices.length > 0 && (
        <ol className="voices">
          {draft.voices.map((v, i) => {
            const n = i + 1;
            const named = voiceNamed(saved, v);
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: a voice is its position (<<<voice_N>>>)
              <li key={i} className="voices__row">
                <span className="voices__tag" aria-hidden="true">
                  {n}
                </span>
                <label htmlFor={`${id}-pick${n}`} className="sr-only">
                  {`Voice ${n}`}
                </label>
                <select
                  id={`${id}-pick${n}`}
                  className="select"
                  value={named?.voiceId ?? ''}
                  disabled={saved.length === 0}
                  onChange={(e) => e.target.value && a.setVoice(i, e.target.value)}
                >
                  <option value="">
                    {saved.length === 0
                      ? 'No saved voices yet'
                      : v
                        ? 'Not in the library'
                        : 'Pick a saved voice…'}
                  </option>
                  {saved.map((sv) => (
                    <option key={sv.id} value={sv.voiceId}>
                      {sv.name}
                    </option>
                  ))}
                </select>
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
                <label htmlFor={`${id}-v${n}`} className="sr-only">
                  {`Voice ${n} ID`}
                </label>
                <input
                  id={`${id}-v${n}`}
                  className="input voices__id"
                  placeholder="or type a voice_id"
                  value={v}
                  onChange={(e) => a.setVoice(i, e.target.value)}
                />
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
          aria-describedby={silentFrames ? reasonId : undefined}
        >
          Add voice
        </button>
        <span className="field__hint">
          Up to {LIMITS.voicesMax}. Insert one where it speaks in the prompt; voices are billed at Kling's
          with-voice rate.
        </span>
      </div>
      <FieldIssues fields={['voice_list']} showClient />
      <VoiceLibraryPanel />
    </fieldset>
  );
}
