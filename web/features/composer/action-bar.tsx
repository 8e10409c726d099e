import { useEffect, useId, useLayoutEffect, useRef } from 'react';
import type { DraftCheck } from '../../editor/check-draft.ts';
import type { Draft } from '../../editor/draft-types.ts';
import { barWords } from './bar-words.ts';
import { insideDialog, isGenerateShortcut } from './generate-shortcut.ts';
import { reasonKey, summarizeReasons } from './reasons-summary.ts';
import type { Generate } from './use-generate.ts';

interface ActionBarProps {
  draft: Draft;
  check: DraftCheck;
  generate: Generate;
  /** The reference video's length as the browser read it, until the upload reports its own. */
  referenceMs?: number;
  usdPerUnit?: number;
}

/** Fields the composer shows beside their inputs; anything else the backend names is listed in the bar. */
const SHOWN_FIELDS = new Set([
  'image',
  'image_tail',
  'model_name',
  'mode',
  'duration',
  'prompt',
  'negative_prompt',
  'image_url',
  'video_url',
  'character_orientation',
  'keep_original_sound',
]);
const SHOWN_PREFIXES =
  /^(camera_control|voice_list|sound|cfg_scale|multi_shot|shot_type|multi_prompt|element_list)/;

/** The shortcut as this machine's keyboard names it. */
const SHORTCUT_WORDS =
  typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent) ? '⌘ Enter' : 'Ctrl+Enter';

/** Keeps `--action-bar-height` on :root equal to the bar, so notices and page padding clear it. */
function useBarHeight(ref: React.RefObject<HTMLElement | null>) {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() =>
      root.style.setProperty('--action-bar-height', `${Math.ceil(el.getBoundingClientRect().height)}px`),
    );
    observer.observe(el);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--action-bar-height');
    };
  }, [ref]);
}

/**
 * The action bar, region "Generate": always in view (a bottom bar), it says what a press makes and costs
 * in creator words, why Generate is off when it is (the first reason, the rest one click away), what
 * happened to the last press, and asks before sending a copy of a request that is still running.
 * Ctrl/Cmd+Enter anywhere in the studio is the same press.
 */
export function ActionBar({ draft, check, generate, referenceMs, usdPerUnit }: ActionBarProps) {
  const id = useId();
  const bar = useRef<HTMLElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useBarHeight(bar);

  const words = barWords(draft, check, { referenceMs, usdPerUnit });
  const reasons = summarizeReasons(check.violations);
  const disabled = !!reasons || generate.pending;
  const confirm = generate.confirm;
  // Issues the backend named but no field on screen shows (e.g. an upstream refusal).
  const loose = generate.issues.filter((i) => !SHOWN_FIELDS.has(i.field) && !SHOWN_PREFIXES.test(i.field));

  function press() {
    if (!disabled) void generate.submit(draft);
  }
  const latestPress = useRef(press);
  latestPress.current = press;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !isGenerateShortcut(e) || insideDialog(e.target)) return;
      e.preventDefault();
      latestPress.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The question takes the keyboard when it appears; Cancel first, so a second Enter never spends twice.
  const asking = !!confirm;
  useEffect(() => {
    if (asking) cancel.current?.focus();
  }, [asking]);

  function answer(send: boolean) {
    if (send) generate.confirmAnyway();
    else generate.cancelConfirm();
    button.current?.focus();
  }

  return (
    <section ref={bar} className="action-bar" aria-label="Generate">
      <div className="action-bar__inner">
        {(confirm || (generate.errorMessage && !generate.pending)) && (
          <div className="action-bar__messages">
            {confirm && (
              <div
                className="confirm"
                role="alertdialog"
                aria-labelledby={`${id}-confirm`}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') answer(false);
                }}
              >
                <p id={`${id}-confirm`} className="confirm__text">
                  A task with these exact settings is still running. Generate another?
                </p>
                <div className="confirm__actions">
                  <button type="button" className="button button--primary" onClick={() => answer(true)}>
                    Generate anyway
                  </button>
                  <button ref={cancel} type="button" className="button" onClick={() => answer(false)}>
                    Cancel
                  </button>
                </div>
              </div>
            )}
            {generate.errorMessage && !generate.pending && (
              <div className="error-box" role="alert">
                <p>
                  <strong>Not submitted:</strong> {generate.errorMessage}
                  {generate.upstreamCode !== undefined && (
                    <span className="muted"> (Kling code {generate.upstreamCode})</span>
                  )}
                </p>
                {loose.length > 0 && (
                  <ul>
                    {loose.map((i) => (
                      <li key={reasonKey(i)}>{i.message}</li>
                    ))}
                  </ul>
                )}
                <p className="muted">Nothing was lost: fix what is named and generate again.</p>
              </div>
            )}
          </div>
        )}

        <div className="action-bar__row">
          <p className="action-bar__setup">
            <span className="action-bar__words">{words.setup}</span>
            <span className="action-bar__cost" title={words.costBasis}>
              {words.cost}
            </span>
          </p>

          <div className="action-bar__state">
            {reasons && (
              <div className="reasons" id={`${id}-reasons`}>
                <span className="reasons__title">Generate is off until:</span>
                <ul className="reasons__first">
                  <li>{reasons.first.message}</li>
                </ul>
                {reasons.rest.length > 0 && (
                  <details
                    className="reasons__more"
                    onKeyDown={(e) => {
                      // Escape folds the list back, as it closes any popup.
                      if (e.key !== 'Escape' || !e.currentTarget.open) return;
                      e.currentTarget.open = false;
                      e.currentTarget.querySelector('summary')?.focus();
                    }}
                  >
                    <summary>{reasons.more}</summary>
                    <ul>
                      {reasons.rest.map((v) => (
                        <li key={reasonKey(v)}>{v.message}</li>
                      ))}
                    </ul>
                  </details>
                )}
              </div>
            )}
            <div aria-live="polite" className="submit__status">
              {generate.pending && <p className="muted">Sending to the studio…</p>}
              {generate.created && !generate.pending && !reasons && (
                <p className="success">
                  {/* The id's first characters tell tasks apart; the whole id is in the tooltip and in Tasks. */}
                  Submitted as task <code title={generate.created.id}>{generate.created.id.slice(0, 8)}</code>
                  . It appears in Tasks; your draft is kept.
                </p>
              )}
            </div>
          </div>

          <div className="action-bar__go">
            <button
              ref={button}
              type="button"
              className="button button--primary button--large generate"
              aria-disabled={disabled}
              aria-describedby={reasons ? `${id}-reasons` : undefined}
              aria-busy={generate.pending}
              aria-keyshortcuts="Control+Enter Meta+Enter"
              onClick={press}
            >
              {generate.pending && <span className="spinner" aria-hidden="true" />}
              Generate
            </button>
            <kbd className="action-bar__key" title="Generate from anywhere in the studio">
              {SHORTCUT_WORDS}
            </kbd>
          </div>
        </div>
      </div>
    </section>
  );
}
