import { useRef } from 'react';
import { notify } from '../state/actions.ts';
import { exportRecipe, importRecipe } from '../state/recipe.ts';
import { useMotionBrushStore } from '../state/store.ts';

interface Props {
  disabled: boolean;
  /** Host settings to store in the recipe (model, duration, prompt…). */
  settings?: () => unknown;
  /** Called with an imported recipe's settings, for the host to apply. */
  onSettings?: (settings: unknown) => void;
}

/** "Export recipe" / "Import recipe": masks + paths (+ host settings) as one JSON file. */
export function RecipeButtons({ disabled, settings, onSettings }: Props) {
  const file = useRef<HTMLInputElement>(null);
  const size = useMotionBrushStore((s) => s.imageSize);

  async function onExport() {
    try {
      const blob = await exportRecipe(settings?.());
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `motion-recipe-${size?.width ?? 0}x${size?.height ?? 0}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      notify(e instanceof Error ? e.message : 'The recipe could not be exported');
    }
  }

  async function onImport(f: File | undefined) {
    if (!f) return;
    try {
      const r = await importRecipe(f, size ?? undefined);
      if (r.settings !== undefined) onSettings?.(r.settings);
    } catch (e) {
      notify(e instanceof Error ? e.message : 'The recipe could not be read');
    } finally {
      if (file.current) file.current.value = '';
    }
  }

  return (
    <div className="mb-row-actions">
      <button
        type="button"
        className="button button--ghost"
        disabled={disabled}
        onClick={() => void onExport()}
      >
        Export recipe
      </button>
      <button
        type="button"
        className="button button--ghost"
        disabled={disabled}
        onClick={() => file.current?.click()}
      >
        Import recipe
      </button>
      <input
        ref={file}
        type="file"
        accept="application/json,.json"
        aria-label="Recipe file"
        hidden
        onChange={(e) => void onImport(e.currentTarget.files?.[0])}
      />
    </div>
  );
}
