import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { DEFAULT_USD_PER_UNIT } from '../../../contract/pricing/prices.ts';
import { BATCH_LIMITS } from '../../../contract/schemas/studio-api.ts';
import { useQueueState } from '../../api/queue.ts';
import type { DraftCheck } from '../../editor/check-draft.ts';
import type { Draft } from '../../editor/draft-types.ts';
import { barWords } from './bar-words.ts';
import { type BatchOffer, type BatchPlan, planBatch } from './batch-plan.ts';
import { insideDialog, isGenerateShortcut } from './generate-shortcut.ts';
import {
  budgetLeftWords,
  budgetShortWords,
  generateLabel,
  pressCostWords,
  queueCountWords,
  TAKES,
} from './press-words.ts';
import { reasonKey, summarizeReasons } from './reasons-summary.ts';
import type { Generate } from './use-generate.ts';
import './action-bar.css';

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
 * Ctrl/Cmd+Enter anywhere in the studio is the same press. Takes make several identical tasks in one
 * press; a batch drop is asked here before it is sent; the studio's queue and budget are shown beside.
 */
export function ActionBar({
  draft,
  check,
  generate,
  referenceMs,
  usdPerUnit = DEFAULT_USD_PER_UNIT,
}: ActionBarProps) {
  const id = useId();
  const bar = useRef<HTMLElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const [takes, setTakes] = useState(1);
  const queue = useQueueState();
  useBarHeight(bar);

  const words = barWords(draft, check, { referenceMs, usdPerUnit });
  // Motion control has no batch route: a Reference video press is one task.
  const takesOff = check.kind === 'motion-control';
  const pressTakes = takesOff ? 1 : takes;
  const pressUnits = words.units === undefined ? undefined : words.units * pressTakes;
  const reasons = summarizeReasons(check.violations);
  const disabled = !!reasons || generate.pending;
  const confirm = generate.confirm;
  // Issues the backend named but no field on screen shows (e.g. an upstream refusal).
  const loose = generate.issues.filter((i) => !SHOWN_FIELDS.has(i.field) && !SHOWN_PREFIXES.test(i.field));
  const counts = queueCountWords(queue);
  const left = budgetLeftWords(queue?.budget);
  const short = budgetShortWords(queue?.budget, pressUnits);
  const offer = generate.batchOffer;
  const startFacts = draft.frames.start?.facts;
  const plan =
    offer &&
    planBatch(offer, {
      motionTab: draft.motionTab,
      start: startFacts && startFacts.width > 0 ? startFacts : undefined,
      unitsEach: words.units,
    });
  const refusedPictures = new Set(generate.refusals.map((r) => r.index)).size;

  function press() {
    if (!disabled) void generate.submit(draft, { takes: pressTakes });
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

  const created = generate.createdTasks;
  const showMessages =
    !!confirm || !!offer || (!generate.pending && (!!generate.errorMessage || generate.refusals.length > 0));

  return (
    <section ref={bar} className="action-bar" aria-label="Generate">
      <div className="action-bar__inner">
        {showMessages && (
          <div className="action-bar__messages">
            {offer && plan && (
              <BatchQuestion
                offer={offer}
                plan={plan}
                setup={words.setup}
                short={budgetShortWords(queue?.budget, plan.units)}
                held={reasons ? { id: `${id}-reasons`, why: reasons.first.message } : undefined}
                pending={generate.pending}
                onGenerate={() => void generate.generateBatch(draft)}
                onCancel={() => {
                  generate.cancelBatch();
                  button.current?.focus();
                }}
              />
            )}
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
            {generate.refusals.length > 0 && !generate.pending && (
              <div className="error-box batch-refusals" role="status">
                <p>
                  <strong>
                    {refusedPictures} of {created ? created.length + refusedPictures : refusedPictures}{' '}
                    pictures refused
                  </strong>{' '}
                  (the others are queued):
                </p>
                <ul>
                  {generate.refusals.map((r) => (
                    <li key={r.key}>
                      {r.text} <span className="batch-refusals__rule">({r.rule})</span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        )}

        <div className="action-bar__row">
          <p className="action-bar__setup">
            <span className="action-bar__words">{words.setup}</span>
            <span className="action-bar__cost" title={words.costBasis}>
              {pressCostWords(words.cost, pressTakes, words.units, usdPerUnit)}
            </span>
            {(counts || left) && (
              <span className="action-bar__queue">
                {[counts, left].filter(Boolean).join(' · ')}
                {short && <strong className="action-bar__short"> — {short}</strong>}
              </span>
            )}
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
              {created && created.length > 1 && !generate.pending && !reasons && (
                <p className="success">
                  Submitted as {created.length} tasks{' '}
                  {created.map((t, i) => (
                    <span key={t.id}>
                      {i > 0 && ', '}
                      <code title={t.id}>{t.id.slice(0, 8)}</code>
                    </span>
                  ))}
                  . They appear in Tasks; your draft is kept.
                </p>
              )}
              {generate.created && !(created && created.length > 1) && !generate.pending && !reasons && (
                <p className="success">
                  {/* The id's first characters tell tasks apart; the whole id is in the tooltip and in Tasks. */}
                  Submitted as task <code title={generate.created.id}>{generate.created.id.slice(0, 8)}</code>
                  . It appears in Tasks; your draft is kept.
                </p>
              )}
            </div>
          </div>

          <div className="action-bar__go">
            <div className="takes" title={takesOff ? 'A Reference video press makes one task' : undefined}>
              <label className="takes__label" htmlFor={`${id}-takes`}>
                Takes
              </label>
              <select
                id={`${id}-takes`}
                className="select takes__select"
                value={pressTakes}
                disabled={takesOff}
                aria-describedby={takesOff ? `${id}-takes-off` : undefined}
                onChange={(e) => setTakes(Number(e.target.value))}
              >
                {TAKES.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
              {takesOff && (
                <span id={`${id}-takes-off`} className="sr-only">
                  A Reference video press makes one task.
                </span>
              )}
            </div>
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
              {generateLabel(pressTakes, words.units)}
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

interface BatchQuestionProps {
  offer: BatchOffer;
  plan: BatchPlan;
  /** The setup every picture goes out with, in creator words. */
  setup: string;
  /** Said when the batch needs more than today's budget has left. */
  short?: string;
  /** Generate is held back by the draft itself: the bar's first reason, and where the full list is. */
  held?: { id: string; why: string };
  pending: boolean;
  onGenerate(): void;
  onCancel(): void;
}

/**
 * Several pictures dropped onto the start frame: what will happen ("5 pictures · one task each ·
 * 17.5 units"), what was left out and why, then Generate or Cancel. It takes the keyboard when it
 * appears (the question, not a button, so an Enter already on its way sends nothing).
 */
function BatchQuestion({
  offer,
  plan,
  setup,
  short,
  held,
  pending,
  onGenerate,
  onCancel,
}: BatchQuestionProps) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.focus();
  }, []);
  const off = !!plan.blocked || !!held || pending;
  const why = plan.blocked ? `${id}-blocked` : held?.id;
  return (
    <div
      ref={box}
      className="confirm batch-offer"
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-what`}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <div className="batch-offer__text">
        <p id={`${id}-title`} className="confirm__text">
          {plan.summary}
        </p>
        <p id={`${id}-what`} className="batch-offer__what">
          {setup}, the same motion for every picture.
          {short && <strong className="action-bar__short"> Over today's budget: {short}.</strong>}
        </p>
        <details className="batch-offer__list">
          <summary>The {plan.count === 1 ? 'picture' : 'pictures'}</summary>
          <ol>
            {offer.pictures.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: two dropped files may share a name
              <li key={i}>
                {p.name} <span className="muted">{`${p.facts.width} × ${p.facts.height} px`}</span>
              </li>
            ))}
          </ol>
        </details>
        {offer.refused.length > 0 && (
          <ul className="batch-offer__refused">
            {offer.refused.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: two dropped files may share a name
              <li key={i}>
                Left out {r.name}: {r.violations.map((v) => v.message).join(' ')}
              </li>
            ))}
          </ul>
        )}
        {offer.leftOut.length > 0 && (
          <p className="batch-offer__refused">
            One batch takes up to {BATCH_LIMITS.frames} pictures; left out {offer.leftOut.join(', ')}.
          </p>
        )}
        {plan.blocked && (
          <p id={`${id}-blocked`} className="batch-offer__blocked">
            {plan.blocked}
          </p>
        )}
        {!plan.blocked && held && <p className="batch-offer__blocked">Generate is off until: {held.why}</p>}
      </div>
      <div className="confirm__actions">
        <button
          type="button"
          className="button button--primary"
          aria-disabled={off}
          aria-describedby={why}
          onClick={() => {
            if (!off) onGenerate();
          }}
        >
          Generate {plan.count} {plan.count === 1 ? 'task' : 'tasks'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
