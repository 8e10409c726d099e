import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { formatBytes } from '../../components/format.ts';
import { showNotice } from '../../components/notices.tsx';
import { type SavedVoice, useVoiceLibrary, VOICE_NAME_MAX, type VoiceProblem } from './voice-library.ts';

/** Loads the stored library once, for every part of the settings that names voices. */
export function useSavedVoices(): SavedVoice[] {
  const voices = useVoiceLibrary((s) => s.voices);
  useEffect(() => {
    void useVoiceLibrary.getState().load();
  }, []);
  return voices;
}

function Problems({ id, problems }: { id: string; problems: readonly VoiceProblem[] }) {
  if (!problems.length) return null;
  return (
    <ul id={id} className="field-issues" role="alert">
      {problems.map((p) => (
        <li key={p.message}>{p.message}</li>
      ))}
    </ul>
  );
}

/**
 * Sound & voices' library: voices saved with a name and Kling's voice id, and an optional sample clip to
 * hear them by (add, rename, delete with Undo, ▶ play). Kept in this browser; picked in the voice rows.
 */
export function VoiceLibraryPanel() {
  const voices = useSavedVoices();
  const id = useId();
  const [problems, setProblems] = useState<VoiceProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  async function onSave(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const file = data.get('sample');
    setBusy(true);
    const found = await useVoiceLibrary.getState().add({
      name: String(data.get('name') ?? ''),
      voiceId: String(data.get('voiceId') ?? ''),
      sample: file instanceof File && file.size > 0 ? file : undefined,
    });
    setBusy(false);
    setProblems(found);
    if (!found.length) form.current?.reset();
  }

  const issue = (field: VoiceProblem['field']) => problems.some((p) => p.field === field);
  return (
    <details className="voice-library">
      <summary className="voice-library__summary">
        Voice library <span className="muted">· {voices.length} saved</span>
      </summary>
      {voices.length > 0 ? (
        <ul className="voice-library__list" aria-label="Saved voices">
          {voices.map((v) => (
            <VoiceRow key={v.id} voice={v} />
          ))}
        </ul>
      ) : (
        <p className="field__hint">
          No voices yet. Save one with its voice id from Kling (and a short clip to recognise it by), then
          pick it for a voice below.
        </p>
      )}
      <form ref={form} className="voice-library__form" aria-label="Save a voice" onSubmit={onSave}>
        <div className="field">
          <label htmlFor={`${id}-name`} className="field__label">
            Voice name
          </label>
          <input
            id={`${id}-name`}
            name="name"
            className="input"
            maxLength={VOICE_NAME_MAX}
            placeholder="Narrator"
            autoComplete="off"
            aria-invalid={issue('name') || undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-vid`} className="field__label">
            Voice ID
          </label>
          <input
            id={`${id}-vid`}
            name="voiceId"
            className="input"
            inputMode="numeric"
            placeholder="from Kling's voice library"
            autoComplete="off"
            aria-invalid={issue('voiceId') || undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-sample`} className="field__label">
            Sample clip <span className="muted">(optional)</span>
          </label>
          <input
            id={`${id}-sample`}
            name="sample"
            type="file"
            className="input"
            accept="audio/*,video/mp4,video/quicktime,video/webm"
            aria-invalid={issue('sample') || undefined}
          />
        </div>
        <Problems id={`${id}-problems`} problems={problems} />
        <button type="submit" className="button" disabled={busy}>
          Save voice
        </button>
      </form>
    </details>
  );
}

function VoiceRow({ voice }: { voice: SavedVoice }) {
  const [renaming, setRenaming] = useState(false);
  const [problems, setProblems] = useState<VoiceProblem[]>([]);
  const [playing, setPlaying] = useState<string | null>(null);
  const id = useId();

  // The object URL lives only while the sample plays.
  useEffect(() => () => void (playing && URL.revokeObjectURL(playing)), [playing]);

  async function play() {
    if (playing) return setPlaying(null);
    const blob = await useVoiceLibrary.getState().sample(voice.id);
    if (blob) setPlaying(URL.createObjectURL(blob));
  }

  async function onRename(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get('name') ?? '');
    const found = await useVoiceLibrary.getState().rename(voice.id, name);
    setProblems(found);
    if (!found.length) setRenaming(false);
  }

  async function onDelete() {
    const undo = await useVoiceLibrary.getState().remove(voice.id);
    if (undo)
      showNotice({
        message: `Deleted the voice “${voice.name}” from the library`,
        undo: () => void undo(),
      });
  }

  return (
    <li className="voice-library__row">
      {renaming ? (
        <form className="voice-library__rename" onSubmit={onRename}>
          <label htmlFor={`${id}-rename`} className="sr-only">
            {`New name for ${voice.name}`}
          </label>
          <input
            id={`${id}-rename`}
            name="name"
            className="input"
            defaultValue={voice.name}
            maxLength={VOICE_NAME_MAX}
            // biome-ignore lint/a11y/noAutofocus: the creator just asked to rename this voice
            autoFocus
          />
          <button type="submit" className="button button--small">
            Save name
          </button>
          <button
            type="button"
            className="button button--small button--ghost"
            onClick={() => {
              setRenaming(false);
              setProblems([]);
            }}
          >
            Cancel
          </button>
          <Problems id={`${id}-problems`} problems={problems} />
        </form>
      ) : (
        <>
          <span className="voice-library__name">{voice.name}</span>
          <code className="voice-library__id" title="voice_id in the request">
            {voice.voiceId}
          </code>
          <span className="voice-library__actions">
            {voice.sample && (
              <button
                type="button"
                className="button button--small"
                aria-label={`${playing ? 'Stop' : 'Play'} sample of ${voice.name}`}
                aria-pressed={!!playing}
                title={`${voice.sample.name}, ${formatBytes(voice.sample.bytes)}`}
                onClick={() => void play()}
              >
                {playing ? '■' : '▶'}
              </button>
            )}
            <button
              type="button"
              className="button button--small button--ghost"
              aria-label={`Rename ${voice.name}`}
              onClick={() => setRenaming(true)}
            >
              Rename
            </button>
            <button
              type="button"
              className="button button--small button--ghost"
              aria-label={`Delete ${voice.name}`}
              onClick={() => void onDelete()}
            >
              Delete
            </button>
          </span>
          {playing && (
            // biome-ignore lint/a11y/useMediaCaption: a voice sample is the voice itself; there is nothing to caption
            <audio
              className="voice-library__audio"
              src={playing}
              autoPlay
              onEnded={() => setPlaying(null)}
              onError={() => setPlaying(null)}
              aria-label={`Sample of ${voice.name}`}
            />
          )}
        </>
      )}
    </li>
  );
}
