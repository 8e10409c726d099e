import { useId } from 'react';
import type { Duration } from '../../../contract/capabilities/matrix.ts';
import { SelectField } from '../../components/select-field.tsx';
import type { Choice } from '../../editor/gating.ts';
import { durationIsRange } from './mode-rate.ts';

interface DurationFieldProps {
  value: Duration;
  choices: readonly Choice<Duration>[];
  onChange(duration: Duration): void;
}

/**
 * The video's length, shaped by the model: a seconds slider where the model takes every whole second in
 * a run (kling-v3's 3–15 s), the two choices otherwise. Both are named "Duration".
 */
export function DurationField({ value, choices, onChange }: DurationFieldProps) {
  const id = useId();
  const values = choices.map((c) => c.value);
  if (!durationIsRange(values))
    return <SelectField label="Duration" value={value} choices={choices} onChange={onChange} />;
  const off = choices.filter((c) => c.disabledReason);
  return (
    <div className="field">
      <div className="field__row">
        <label htmlFor={id} className="field__label">
          Duration
        </label>
        <output htmlFor={id} className="slider__value">
          {value} s
        </output>
      </div>
      <input
        id={id}
        type="range"
        className="slider__input"
        min={values[0]}
        max={values.at(-1)}
        step={1}
        value={value}
        aria-valuetext={`${value} s`}
        aria-describedby={off.length ? `${id}-notes` : undefined}
        onChange={(e) => onChange(e.target.value as Duration)}
      />
      {off.length > 0 && (
        <p id={`${id}-notes`} className="field__hint">
          {off.map((c) => `${c.value} s: ${c.disabledReason}.`).join(' ')}
        </p>
      )}
    </div>
  );
}
