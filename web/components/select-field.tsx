import { useId } from 'react';

export interface SelectChoice<T extends string> {
  value: T;
  label: string;
  disabledReason?: string;
  /** The option's name in the notes under the field; its label otherwise. */
  name?: string;
  /** The API's own name, shown as the option's tooltip (creator words on screen, the API's in a tooltip). */
  apiName?: string;
}

interface SelectFieldProps<T extends string> {
  label: string;
  value: T | '';
  choices: readonly SelectChoice<T>[];
  onChange(value: T): void;
  disabled?: boolean;
  /** Shown under the select (e.g. why the whole select is off). */
  hint?: string;
  describedBy?: string;
  /** What the options are, for "7 models: no camera control". */
  noun?: string;
}

/**
 * A labelled native select. Options that cannot carry the current setup are disabled and say why in
 * their own text (a native option can show nothing else), and the reasons are repeated under the field.
 */
export function SelectField<T extends string>(props: SelectFieldProps<T>) {
  const { label, value, choices, onChange, disabled, hint, describedBy, noun = 'options' } = props;
  const id = useId();
  const off = choices.filter((c) => c.disabledReason);
  // Grouped by reason, short: "Kling 1.0, Kling 1.6: no camera control." or "7 models: …".
  const byReason = new Map<string, string[]>();
  for (const c of off)
    byReason.set(c.disabledReason!, [...(byReason.get(c.disabledReason!) ?? []), c.name ?? c.label]);
  const groups = [...byReason].map(([reason, values]) =>
    values.length > 3 ? `${values.length} ${noun}: ${reason}.` : `${values.join(', ')}: ${reason}.`,
  );
  const notes = [hint, ...groups].filter(Boolean) as string[];
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <select
        id={id}
        className="select"
        value={value}
        disabled={disabled}
        aria-describedby={
          [notes.length ? `${id}-notes` : '', describedBy ?? ''].filter(Boolean).join(' ') || undefined
        }
        onChange={(e) => onChange(e.target.value as T)}
      >
        {value === '' && <option value="">—</option>}
        {choices.map((c) => (
          <option
            key={c.value}
            value={c.value}
            title={c.apiName}
            disabled={!!c.disabledReason && c.value !== value}
          >
            {c.disabledReason ? `${c.label} — ${c.disabledReason}` : c.label}
          </option>
        ))}
      </select>
      {notes.length > 0 && (
        <p id={`${id}-notes`} className="field__hint">
          {notes.join(' ')}
        </p>
      )}
    </div>
  );
}
