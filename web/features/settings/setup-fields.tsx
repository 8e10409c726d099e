import { useShallow } from 'zustand/react/shallow';
import type { ModelCapabilities } from '../../../contract/capabilities/matrix.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { FIELD_WORDS } from '../../../contract/words/setup-words.ts';
import { useCapabilities } from '../../api/capabilities.ts';
import { FieldIssues } from '../../components/field-issues.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { draftOf, useEditorStore } from '../../editor/editor-store.ts';
import { durationChoices, modeChoices, modelChoices, requiredFeatures } from '../../editor/gating.ts';
import { DurationField } from './duration-field.tsx';
import { modeRate } from './mode-rate.ts';

/**
 * Model, mode, duration and prompt strength (`cfg_scale`), in creator words, gated by what the draft uses (the capability matrix) and by the
 * models' lifecycles as the studio serves them: legacy models wear a badge, retired ones are off.
 */
export function SetupFields() {
  const draft = useEditorStore(useShallow(draftOf));
  const { setModel, setMode, setDuration, setCfgScale } = useEditorStore(
    useShallow((s) => ({
      setModel: s.setModel,
      setMode: s.setMode,
      setDuration: s.setDuration,
      setCfgScale: s.setCfgScale,
    })),
  );
  const { models } = useCapabilities();
  const features = requiredFeatures(draft);
  const caps: ModelCapabilities = models[draft.model];
  const hasModes = caps.modes.length > 0;
  const priced = modeChoices(draft.model, features).map((c) => {
    const rate = modeRate(draft.model, c.value, draft.sound === 'on');
    return rate ? { ...c, label: `${c.label} · ${rate}` } : c;
  });
  const { status, note } = caps.lifecycle;
  return (
    <div className="setup-fields">
      <div className="setup-fields__row">
        <SelectField
          label="Model"
          noun="models"
          value={draft.model}
          choices={modelChoices(features, models)}
          onChange={setModel}
        />
        <SelectField
          label="Mode"
          value={hasModes ? draft.mode : ''}
          choices={hasModes ? priced : []}
          onChange={setMode}
          disabled={!hasModes}
          hint={hasModes ? undefined : `${caps.label} takes no mode.`}
        />
        <DurationField
          value={draft.duration}
          choices={durationChoices(draft.model, draft.mode, features)}
          onChange={setDuration}
        />
      </div>
      {status !== 'active' && (
        <p className="field__hint model-lifecycle" data-status={status}>
          <span className={`badge ${status === 'legacy' ? 'badge--live' : 'badge--bad'}`}>
            {status === 'legacy' ? 'Legacy' : 'Retired'}
          </span>{' '}
          {caps.label}: {note}
        </p>
      )}
      <FieldIssues fields={['model_name', 'mode', 'duration']} />
      {caps.cfgScale && (
        <div className="field">
          <div className="field__row">
            <label htmlFor="cfg-scale" className="field__label" title="cfg_scale in the request">
              {FIELD_WORDS.cfg_scale}
            </label>
            <output htmlFor="cfg-scale" className="slider__value">
              {draft.cfgScale.toFixed(2)}
            </output>
          </div>
          <input
            id="cfg-scale"
            type="range"
            className="slider__input"
            min={LIMITS.cfgScaleMin}
            max={LIMITS.cfgScaleMax}
            step={0.05}
            value={draft.cfgScale}
            onChange={(e) => setCfgScale(Number(e.target.value))}
          />
          <p className="field__hint">
            Higher follows the prompt more strictly. Kling 1.x only; default 0.5. Sent as{' '}
            <code>cfg_scale</code>.
          </p>
          <FieldIssues fields={['cfg_scale']} />
        </div>
      )}
    </div>
  );
}
