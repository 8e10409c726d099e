import { type RefObject, useId } from 'react';
import { LIMITS } from '../../../contract/limits.ts';
import { FieldIssues } from '../../components/field-issues.tsx';
import { useEditorStore } from '../../editor/editor-store.ts';
import { promptPieces } from './prompt-pieces.ts';
import { voiceNamed } from './voice-library.ts';
import { useSavedVoices } from './voice-library-panel.tsx';

function Counter({ id, length }: { id: string; length: number }) {
  const over = length > LIMITS.promptMaxChars;
  return (
    <span id={id} className={`counter${over ? ' counter--over' : ''}`}>
      {length.toLocaleString('en')} / {LIMITS.promptMaxChars.toLocaleString('en')}
      {over && ' — too long'}
    </span>
  );
}

/**
 * The prompt as it will be read, each `<<<voice_N>>>` shown as a chip with the voice's name from the library
 * (the textarea stays the source of truth, and the request still carries the token).
 */
function PromptVoices({ prompt }: { prompt: string }) {
  const voices = useEditorStore((s) => s.voices);
  const saved = useSavedVoices();
  const pieces = promptPieces(prompt);
  if (!pieces.some((p) => p.kind === 'voice')) return null;
  return (
    <p className="prompt-voices">
      <span className="muted">Reads as: </span>
      {pieces.map((p, i) => {
        // biome-ignore lint/suspicious/noArrayIndexKey: pieces are positions in the prompt
        if (p.kind === 'text') return <span key={i}>{p.text}</span>;
        const voiceId = voices[p.n - 1] ?? '';
        const name =
          voiceNamed(saved, voiceId)?.name ?? (voiceId ? `Voice ${p.n}` : `Voice ${p.n} (not set)`);
        return (
          <span
            // biome-ignore lint/suspicious/noArrayIndexKey: pieces are positions in the prompt
            key={i}
            className={`voice-chip${voiceId ? '' : ' voice-chip--missing'}`}
            title={`${p.token}${voiceId ? ` · voice_id ${voiceId}` : ''}`}
          >
            <span aria-hidden="true">🎙 </span>
            {name}
          </span>
        );
      })}
    </p>
  );
}

interface PromptFieldsProps {
  promptRef: RefObject<HTMLTextAreaElement | null>;
  /** Motion control: the motion comes from the clip, the prompt sets the scene; no negative prompt. */
  motionControl?: boolean;
}

/** Prompt and negative prompt; the prompt's ref lets "Insert voice" write at the caret. */
export function PromptFields({ promptRef, motionControl = false }: PromptFieldsProps) {
  const prompt = useEditorStore((s) => s.prompt);
  const negative = useEditorStore((s) => s.negativePrompt);
  const setPrompt = useEditorStore((s) => s.setPrompt);
  const setNegative = useEditorStore((s) => s.setNegativePrompt);
  const id = useId();
  return (
    <>
      <div className="field">
        <div className="field__row">
          <label htmlFor={`${id}-p`} className="field__label">
            Prompt
          </label>
          <Counter id={`${id}-pc`} length={prompt.length} />
        </div>
        <textarea
          id={`${id}-p`}
          ref={promptRef}
          className="textarea"
          rows={4}
          value={prompt}
          placeholder={
            motionControl
              ? 'Describe the scene and background: “On a windy beach at sunset”. The motion comes from the video.'
              : 'Describe the motion: “The boat drifts slowly to the right as the water ripples”'
          }
          aria-describedby={`${id}-pc`}
          onChange={(e) => setPrompt(e.target.value)}
        />
        {!motionControl && <PromptVoices prompt={prompt} />}
        <FieldIssues fields={['prompt']} showClient />
      </div>
      {!motionControl && (
        <div className="field">
          <div className="field__row">
            <label htmlFor={`${id}-n`} className="field__label">
              Negative prompt
            </label>
            <Counter id={`${id}-nc`} length={negative.length} />
          </div>
          <textarea
            id={`${id}-n`}
            className="textarea"
            rows={2}
            value={negative}
            placeholder="What to avoid: “blur, distortion, text”"
            aria-describedby={`${id}-nc`}
            onChange={(e) => setNegative(e.target.value)}
          />
          <FieldIssues fields={['negative_prompt']} showClient />
        </div>
      )}
    </>
  );
}
