import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { LIMITS } from '../../../contract/limits.ts';
import { FieldIssues } from '../../components/field-issues.tsx';
import type { ShotDraft } from '../../editor/draft-types.ts';
import { useEditorStore } from '../../editor/editor-store.ts';

interface ShotCardProps {
  shot: ShotDraft;
  /** Position in the storyboard, from 0 (the card says "Shot index+1", as the contract's labels do). */
  index: number;
  count: number;
}

/** One shot: its prompt (≤ 512 characters), its length in whole seconds, and buttons to move or remove it. */
export function ShotCard({ shot, index, count }: ShotCardProps) {
  const a = useEditorStore(
    useShallow((s) => ({
      setShotPrompt: s.setShotPrompt,
      setShotSeconds: s.setShotSeconds,
      moveShot: s.moveShot,
      removeShot: s.removeShot,
    })),
  );
  const id = useId();
  const n = index + 1;
  const field = `multi_prompt[${index}]`;
  // The box keeps what is typed (an empty box while retyping); the draft keeps the last number.
  const [text, setText] = useState(String(shot.seconds));
  useEffect(() => {
    setText((t) => (Number(t) === shot.seconds && t.trim() !== '' ? t : String(shot.seconds)));
  }, [shot.seconds]);
  const over = shot.prompt.length > LIMITS.shotPromptMaxChars;

  return (
    <li className="shot-card" aria-label={`Shot ${n}`}>
      <div className="shot-card__head">
        <span className="shot-card__tag">{`Shot ${n}`}</span>
        <label htmlFor={`${id}-len`} className="sr-only">
          {`Shot ${n} length`}
        </label>
        <input
          id={`${id}-len`}
          className="input shot-card__length"
          type="number"
          inputMode="numeric"
          min={LIMITS.shotMinSeconds}
          step={1}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            const v = e.target.value.trim();
            if (v !== '' && Number.isFinite(Number(v))) a.setShotSeconds(index, Number(v));
          }}
        />
        <span className="muted">s</span>
        <button
          type="button"
          className="button button--ghost"
          aria-label={`Move shot ${n} up`}
          disabled={index === 0}
          onClick={() => a.moveShot(index, -1)}
        >
          ↑
        </button>
        <button
          type="button"
          className="button button--ghost"
          aria-label={`Move shot ${n} down`}
          disabled={index === count - 1}
          onClick={() => a.moveShot(index, 1)}
        >
          ↓
        </button>
        <button
          type="button"
          className="button button--ghost"
          aria-label={`Remove shot ${n}`}
          onClick={() => a.removeShot(index)}
        >
          ✕
        </button>
      </div>
      <FieldIssues fields={[`${field}.duration`]} showClient />
      <div className="field__row">
        <label htmlFor={`${id}-p`} className="field__label">
          {`Shot ${n} prompt`}
        </label>
        <span id={`${id}-pc`} className={`counter${over ? ' counter--over' : ''}`}>
          {shot.prompt.length} / {LIMITS.shotPromptMaxChars}
          {over && ' — too long'}
        </span>
      </div>
      <textarea
        id={`${id}-p`}
        className="textarea"
        rows={2}
        value={shot.prompt}
        placeholder="What happens in this shot: “Close-up: the boat's sail fills with wind”"
        aria-describedby={`${id}-pc`}
        onChange={(e) => a.setShotPrompt(index, e.target.value)}
      />
      <FieldIssues fields={[`${field}.prompt`, `${field}.index`]} showClient />
    </li>
  );
}
