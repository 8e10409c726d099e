import { type KeyboardEvent, type ReactNode, useId, useRef } from 'react';

export interface TabItem<K extends string> {
  key: K;
  /** The tab's accessible name, exactly (tests and assistive tech rely on it). */
  label: string;
  /** Extra visual content (a badge); hidden from the accessible name. */
  adornment?: ReactNode;
  panel: ReactNode;
}

interface TabsProps<K extends string> {
  label: string;
  items: readonly TabItem<K>[];
  selected: K;
  onSelect(key: K): void;
  /** Shown between the tab list and the panel. */
  note?: ReactNode;
}

/**
 * WAI-ARIA tabs with automatic activation: arrows, Home and End move between tabs (roving tabindex);
 * only the selected panel is rendered, the others keep their state in the store.
 */
export function Tabs<K extends string>({ label, items, selected, onSelect, note }: TabsProps<K>) {
  const base = useId();
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const index = Math.max(
    0,
    items.findIndex((t) => t.key === selected),
  );
  const current = items[index];

  function onKeyDown(e: KeyboardEvent) {
    const last = items.length - 1;
    const next =
      e.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : e.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : undefined;
    if (next === undefined) return;
    e.preventDefault();
    const key = items[next]!.key;
    onSelect(key);
    refs.current.get(key)?.focus();
  }

  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tabs__list" onKeyDown={onKeyDown}>
        {items.map((t) => {
          const active = t.key === selected;
          return (
            <button
              key={t.key}
              ref={(el) => {
                if (el) refs.current.set(t.key, el);
                else refs.current.delete(t.key);
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${t.key}`}
              aria-controls={`${base}-panel-${t.key}`}
              aria-selected={active}
              aria-label={t.label}
              tabIndex={active ? 0 : -1}
              className="tabs__tab"
              onClick={() => onSelect(t.key)}
            >
              <span aria-hidden="true">{t.label}</span>
              {t.adornment}
            </button>
          );
        })}
      </div>
      {note}
      {current && (
        <div
          role="tabpanel"
          id={`${base}-panel-${current.key}`}
          aria-labelledby={`${base}-tab-${current.key}`}
          className="tabs__panel"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the panel itself is a tab stop per WAI-ARIA tabs
          tabIndex={0}
        >
          {current.panel}
        </div>
      )}
    </div>
  );
}
