import { LIMITS } from '../../../../contract/limits.ts';
import type { MaskEntry } from '../model/types.ts';
import { sentDynamicMasks } from '../model/violations.ts';
import {
  addDynamicMask,
  clearMask,
  deleteMask,
  selectMask,
  selectStatic,
  setMaskVisible,
} from '../state/actions.ts';
import { useMotionBrushStore } from '../state/store.ts';

/**
 * Row names avoid the toolbar's exact names ("Static mask" is the button that selects or creates the
 * static mask; its row is the "Static region"), so each accessible name points at one control.
 */
function rowLabel(masks: readonly MaskEntry[], m: MaskEntry): string {
  if (m.kind === 'static') return 'Static region';
  return `Dynamic mask ${masks.filter((x) => x.kind === 'dynamic').indexOf(m) + 1}`;
}

/** What the mask does and what it still needs, in the creator's words. */
function rowFacts(m: MaskEntry): string {
  if (m.kind === 'static') return m.painted ? 'painted · stays still' : 'paint what must stay still';
  const points = `${m.path.length} ${m.path.length === 1 ? 'point' : 'points'}`;
  if (!m.painted)
    return m.path.length ? `path of ${points} · paint the area that moves` : 'paint the area that moves';
  return m.path.length ? `painted · moves along ${points}` : 'painted · draw its path (T)';
}

/** The API's name for the mask, for the tooltip (Request JSON shows the same). */
function apiName(masks: readonly MaskEntry[], m: MaskEntry): string {
  if (m.kind === 'static') return 'static_mask';
  const sent = sentDynamicMasks(masks).indexOf(m);
  return sent < 0 ? 'not sent while empty' : `dynamic_masks[${sent}]`;
}

export function MaskList({ disabled }: { disabled: boolean }) {
  const masks = useMotionBrushStore((s) => s.masks);
  const selectedId = useMotionBrushStore((s) => s.selectedId);
  const dynamicCount = masks.filter((m) => m.kind === 'dynamic').length;
  const staticMask = masks.find((m) => m.kind === 'static');
  return (
    <section className="mb-section" aria-label="Masks">
      <div className="mb-section__head">
        <h3 className="mb-h">Masks</h3>
        <span className="mb-count" title="Dynamic masks (Kling takes up to 6)">
          <span className="mb-mono">
            {dynamicCount} / {LIMITS.dynamicMasksMax}
          </span>{' '}
          dynamic
        </span>
      </div>
      <div className="mb-row-actions">
        <button
          type="button"
          className={`button${staticMask && staticMask.id === selectedId ? ' mb-tool--on' : ''}`}
          aria-pressed={!!staticMask && staticMask.id === selectedId}
          aria-keyshortcuts="S"
          title="Paint what must stay still (S)"
          disabled={disabled}
          onClick={() => selectStatic()}
        >
          Static mask
        </button>
        <button
          type="button"
          className="button button--accent"
          title="A region that moves along its own path (1–6 select them)"
          disabled={disabled || dynamicCount >= LIMITS.dynamicMasksMax}
          onClick={() => addDynamicMask()}
        >
          Add dynamic mask
        </button>
      </div>
      {masks.length === 0 ? (
        <p className="muted mb-small">No masks yet. Paint with the brush to start a dynamic mask.</p>
      ) : (
        <ul className="mb-masks">
          {masks.map((m, i) => {
            const label = rowLabel(masks, m);
            const selected = m.id === selectedId;
            const shortcut =
              m.kind === 'static' ? 'S' : String(masks.filter((x) => x.kind === 'dynamic').indexOf(m) + 1);
            return (
              <li key={m.id} className={`mb-mask${selected ? ' mb-mask--on' : ''}`} data-mask-index={i}>
                <span
                  className={`mb-swatch${m.kind === 'static' ? ' mb-swatch--hatch' : ''}`}
                  style={m.kind === 'static' ? undefined : { background: m.color }}
                  aria-hidden="true"
                />
                <button
                  type="button"
                  className="mb-mask__name"
                  aria-pressed={selected}
                  title={`Select (${shortcut}) — sent as ${apiName(masks, m)}`}
                  onClick={() => selectMask(m.id)}
                >
                  {label}
                </button>
                <span className="mb-mask__facts muted mb-small">{rowFacts(m)}</span>
                <label className="mb-check" title="Show on the canvas (hidden masks are still sent)">
                  <input
                    type="checkbox"
                    checked={m.visible}
                    aria-label={`Show ${label}`}
                    onChange={(e) => setMaskVisible(m.id, e.currentTarget.checked)}
                  />
                </label>
                <button
                  type="button"
                  className="button button--ghost mb-icon mb-icon--clear"
                  aria-label={`Clear ${label}`}
                  title="Clear its paint (undoable)"
                  disabled={disabled || !m.painted}
                  onClick={() => clearMask(m.id)}
                >
                  Clear
                </button>
                <button
                  type="button"
                  className="button button--ghost mb-icon mb-icon--delete"
                  aria-label={`Delete ${label}`}
                  title="Delete the mask and its path (undoable)"
                  disabled={disabled}
                  onClick={() => deleteMask(m.id)}
                >
                  ✕
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
