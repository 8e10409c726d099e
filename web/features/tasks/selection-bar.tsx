import { taskVideoDownloadUrl } from '../../api/task-queries.ts';
import { comparable, compareHint } from './selection.ts';

interface SelectionBarProps {
  picked: readonly string[];
  onCompare: () => void;
  onClear: () => void;
}

/**
 * Each picked result's file, one after another: one link click per file, a moment apart, so the browser
 * treats them as separate downloads (it may ask once whether the studio may save several files).
 */
export async function downloadAll(ids: readonly string[], gapMs = 250): Promise<void> {
  for (const [i, id] of ids.entries()) {
    if (i > 0) await new Promise((r) => setTimeout(r, gapMs));
    const a = document.createElement('a');
    a.href = taskVideoDownloadUrl(id);
    a.download = '';
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
  }
}

/** "2 picked · Compare · Download · Clear": shown while any result is picked, beside the gallery. */
export function SelectionBar({ picked, onCompare, onClear }: SelectionBarProps) {
  const hint = compareHint(picked.length);
  return (
    // biome-ignore lint/a11y/useSemanticElements: actions on the picks, not form fields: a fieldset would read as a form
    <div className="tasks-selection" role="group" aria-label="Picked results">
      <span className="tasks-selection-count" aria-live="polite">
        {picked.length} picked{hint && ` · ${hint}`}
      </span>
      <button
        type="button"
        className="button button--primary"
        disabled={!comparable(picked)}
        onClick={onCompare}
      >
        Compare
      </button>
      <button type="button" className="button" onClick={() => void downloadAll(picked)}>
        Download
      </button>
      <button type="button" className="button button--ghost" onClick={onClear}>
        Clear
      </button>
    </div>
  );
}
