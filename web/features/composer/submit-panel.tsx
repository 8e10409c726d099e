import { type ReactNode, useId } from 'react';
import { describeSetup, MODELS } from '../../../contract/capabilities/matrix.ts';
import { MOTION_CONTROL_MODELS } from '../../../contract/capabilities/motion-control.ts';
import { DEFAULT_USD_PER_UNIT, PRICE_SOURCE } from '../../../contract/pricing/prices.ts';
import { seconds } from '../../../contract/rules/video-rules.ts';
import { formatBytes } from '../../components/format.ts';
import type { DraftCheck } from '../../editor/check-draft.ts';
import type { Draft, Frame } from '../../editor/draft-types.ts';
import { currentSetup } from '../../editor/gating.ts';
import { image2videoCostLine } from './image2video-cost.ts';
import { motionControlCostLine, motionControlRateLine } from './motion-control-cost.ts';
import type { Generate } from './use-generate.ts';

interface SubmitPanelProps {
  draft: Draft;
  check: DraftCheck;
  generate: Generate;
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

/** Fields the composer shows beside their inputs; anything else the backend names is listed here. */
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
}: Omit<SubmitPanelProps, 'generate'>) {
  const setup = currentSetup(draft);
  const voices = draft.voices.length;
  const sound = check.kind === 'image2video' ? check.request.sound : undefined;
  const cost = image2videoCostLine({ ...setup, sound: sound === 'on', voices }, usdPerUnit);
  const soundText = sound === 'on' ? `on${voices ? `, ${voices} voice${voices > 1 ? 's' : ''}` : ''}` : 'off';
  return (
    <>
      <dt>Model</dt>
      <dd>
        {MODELS[setup.model].label} · <code>{describeSetup(setup)}</code>
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
}: Omit<SubmitPanelProps, 'generate' | 'check'>) {
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
      <dd>
        {MOTION_CONTROL_MODELS[model].label} · <code>{`${model} ${mode}`}</code> · motion control
      </dd>
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

/** What will be sent and what it costs, why it cannot be sent yet, and the Generate button. */
export function SubmitPanel({
  draft,
  check,
  generate,
  motionSummary,
  referenceMs,
  usdPerUnit,
}: SubmitPanelProps) {
  const reasonsId = useId();
  const blocked = check.violations.length > 0;
  const disabled = blocked || generate.pending;
  // Issues the backend named but no field on screen shows (e.g. an upstream refusal).
  const loose = generate.issues.filter(
    (i) =>
      !SHOWN_FIELDS.has(i.field) &&
      !/^(camera_control|voice_list|sound|cfg_scale|multi_shot|shot_type|multi_prompt|element_list)/.test(
        i.field,
      ),
  );

  return (
    <section className="card submit" aria-labelledby={`${reasonsId}-h`}>
      <h2 id={`${reasonsId}-h`} className="card__title">
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

      {blocked && (
        <div className="reasons" id={reasonsId}>
          <p className="reasons__title">Generate is off until:</p>
          <ul>
            {check.violations.map((v) => (
              <li key={`${v.field}:${v.rule}:${v.message}`}>{v.message}</li>
            ))}
          </ul>
        </div>
      )}

      <button
        type="button"
        className="button button--primary button--large generate"
        aria-disabled={disabled}
        aria-describedby={blocked ? reasonsId : undefined}
        aria-busy={generate.pending}
        onClick={() => {
          if (!disabled) void generate.submit(draft);
        }}
      >
        {generate.pending && <span className="spinner" aria-hidden="true" />}
        Generate
      </button>

      <div aria-live="polite" className="submit__status">
        {generate.pending && <p className="muted">Sending to the studio…</p>}
        {generate.created && !generate.pending && (
          <p className="success">
            Submitted as task <code>{generate.created.id}</code>. It appears under Tasks; your draft is kept.
          </p>
        )}
      </div>
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
                <li key={`${i.field}:${i.rule}:${i.message}`}>{i.message}</li>
              ))}
            </ul>
          )}
          <p className="muted">Nothing was lost: fix what is named and generate again.</p>
        </div>
      )}
    </section>
  );
}
