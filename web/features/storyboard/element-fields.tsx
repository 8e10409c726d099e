import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { LIMITS } from '../../../contract/limits.ts';
import { FieldIssues } from '../../components/field-issues.tsx';
import { useEditorStore } from '../../editor/editor-store.ts';

/** Up to three element ids from the creator's Kling library (digits); never together with voices. */
export function ElementFields() {
  const elements = useEditorStore((s) => s.storyboard.elements);
  const a = useEditorStore(
    useShallow((s) => ({
      addElement: s.addElement,
      setElement: s.setElement,
      removeElement: s.removeElement,
    })),
  );
  const id = useId();
  return (
    <fieldset className="elements">
      <legend className="field__label">Elements</legend>
      <p className="field__hint">
        Characters or objects from your Kling element library, by their id (digits), up to{' '}
        {LIMITS.elementsMax}. Elements cannot be combined with voices: Kling takes one or the other.
      </p>
      {elements.length > 0 && (
        <ol className="elements__list">
          {elements.map((e, i) => {
            const n = i + 1;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: an element is its position in element_list
              <li key={i} className="elements__row">
                <label htmlFor={`${id}-e${n}`} className="sr-only">
                  {`Element ${n} ID`}
                </label>
                <input
                  id={`${id}-e${n}`}
                  className="input"
                  inputMode="numeric"
                  placeholder="element_id"
                  value={e}
                  onChange={(ev) => a.setElement(i, ev.target.value)}
                />
                <button
                  type="button"
                  className="button button--ghost"
                  aria-label={`Remove element ${n}`}
                  onClick={() => a.removeElement(i)}
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
          onClick={a.addElement}
          disabled={elements.length >= LIMITS.elementsMax}
        >
          Add element
        </button>
      </div>
      <FieldIssues fields={['element_list']} showClient />
    </fieldset>
  );
}
