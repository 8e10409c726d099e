import { type ReactNode, useId } from 'react';
import { DEFAULT_USD_PER_UNIT, PRICE_SOURCE } from '../../../contract/pricing/prices.ts';
import { seconds } from '../../../contract/rules/video-rules.ts';
import { setupWords } from '../../../contract/words/setup-words.ts';
import { formatBytes } from '../../components/format.ts';
import type { DraftCheck } from '../../editor/check-draft.ts';
import type { Draft, Frame } from '../../editor/draft-types.ts';
import { currentSetup } from '../../editor/gating.ts';
import { image2videoCostLine } from './image2video-cost.ts';
import { motionControlCostLine, motionControlRateLine } from './motion-control-cost.ts';

interface SummaryPanelProps {
  draft: Draft;
  check: DraftCheck;
  /** One line about the active motion ("Camera — Pan +5: the camera turns right"). */
  motionSummary: string;
  /**
   * The reference video's length as the browser read it, while its upload has not given the backend's
   * own facts yet (the Reference video tab's cost follows it).
   */
  referenceMs?: number;
  /** US$ per unit, as the studio serves it (the operator's rate); DEFAULT_USD_PER_UNIT otherwise. */
  usdPerUnit?: number;
}

function frameText(f: Frame | null): string {
  if (!f) return 'none';
  if (!f.facts || f.facts.width === 0)
    return f.source === 'url' ? 'URL (checked by the studio)' : 'unreadable';
  return `${f.facts.width}×${f.facts.height} ${f.facts.format.toUpperCase()}, ${formatBytes(f.facts.bytes)}${
    f.source === 'url' ? ' (URL)' : ''
  }`;
}

/** The image-to-video summary: setup, motion, frames, prompt, sound, and the price list's cost. */
function ImageToVideoRows({
  draft,
  check,
  motionSummary,
  usdPerUnit = DEFAULT_USD_PER_UNIT,
}: SummaryPanelProps) {
  const setup = currentSetup(draft);
  const voices = draft.voices.length;
  const sound = check.kind === 'image2video' ? check.request.sound : undefined;
  const cost = image2videoCostLine({ ...setup, sound: sound === 'on', voices }, usdPerUnit);
  const soundText = sound === 'on' ? `on${voices ? `, ${voices} voice${voices > 1 ? 's' : ''}` : ''}` : 'off';
  return (
    <>
      <dt>Model</dt>
      <dd
        title={`model_name ${setup.model}${setup.mode ? `, mode ${setup.mode}` : ''}, duration ${setup.duration}`}
      >
        {setupWords(setup)}
      </dd>
      <dt>Motion</dt>
      <dd>{motionSummary}</dd>
      <dt>Start frame</dt>
      <dd>{frameText(draft.frames.start)}</dd>
      {draft.motionTab === 'frames' && (
        <>
          <dt>End frame</dt>
          <dd>{frameText(draft.frames.end)}</dd>
        </>
      )}
      <dt>Prompt</dt>
      <dd>{draft.prompt.trim() ? `${draft.prompt.length} characters` : 'none (Kling decides the motion)'}</dd>
      <dt>Sound</dt>
      <dd>{soundText}</dd>
      <dt>Cost</dt>
      <dd>
        <strong>{cost}</strong>
        <span className="muted">
          {' '}
          ({PRICE_SOURCE.name}, {PRICE_SOURCE.asOf}; 1 unit ≈ ${usdPerUnit})
        </span>
      </dd>
    </>
  );
}

/** The motion-control summary: the clip decides the length, and so the cost. */
function MotionControlRows({
  draft,
  motionSummary,
  referenceMs,
  usdPerUnit,
}: Omit<SummaryPanelProps, 'check'>) {
  const { model, mode, keepSound, clip } = draft.reference;
  const ms = clip?.upload.durationMs ?? referenceMs;
  const clipText = clip
    ? `${seconds(clip.upload.durationMs)}, ${clip.upload.width}×${clip.upload.height} ${clip.upload.format.toUpperCase()}, ${formatBytes(clip.upload.bytes)} (uploaded)`
    : ms !== undefined
      ? `${seconds(ms)} (uploading)`
      : 'none';
  let cost: ReactNode;
  if (ms !== undefined) cost = <strong>{motionControlCostLine(model, mode, ms, usdPerUnit)}</strong>;
  else
    cost = (
      <>
        <strong>known once the reference video is added</strong>
        <span className="muted"> ({motionControlRateLine(model, mode)})</span>
      </>
    );
  return (
    <>
      <dt>Model</dt>
      <dd title={`model_name ${model}, mode ${mode}`}>{setupWords({ model, mode })} · motion control</dd>
      <dt>Motion</dt>
      <dd>{motionSummary}</dd>
      <dt>Character</dt>
      <dd>{frameText(draft.frames.start)}</dd>
      <dt>Reference</dt>
      <dd>{clipText}</dd>
      <dt>Prompt</dt>
      <dd>{draft.prompt.trim() ? `${draft.prompt.length} characters` : 'none (the clip sets the motion)'}</dd>
      <dt>Sound</dt>
      <dd>{keepSound === 'yes' ? "the video's own" : 'none'}</dd>
      <dt>Cost</dt>
      <dd>{cost}</dd>
    </>
  );
}

/**
 * "Summary": what Generate will send and the price list's cost line with its basis, beside the settings.
 * The press itself, and why it is off, live in the action bar.
 */
export function SummaryPanel({ draft, check, motionSummary, referenceMs, usdPerUnit }: SummaryPanelProps) {
  const headingId = useId();
  return (
    <section className="card submit" aria-labelledby={headingId}>
      <h2 id={headingId} className="card__title">
        Summary
      </h2>
      <dl className="summary">
        {check.kind === 'motion-control' ? (
          <MotionControlRows
            draft={draft}
            motionSummary={motionSummary}
            referenceMs={referenceMs}
            usdPerUnit={usdPerUnit}
          />
        ) : (
          <ImageToVideoRows
            draft={draft}
            check={check}
            motionSummary={motionSummary}
            usdPerUnit={usdPerUnit}
          />
        )}
      </dl>
    </section>
  );
}
