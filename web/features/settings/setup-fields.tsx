import { useShallow } from 'zustand/react/shallow';
import { MODELS, type ModelCapabilities } from '../../../contract/capabilities/matrix.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { FieldIssues } from '../../components/field-issues.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { draftOf, useEditorStore } from '../../editor/editor-store.ts';
import { durationChoices, modeChoices, modelChoices, requiredFeatures } from '../../editor/gating.ts';

/** Model, mode, duration and cfg_scale, gated by what the draft uses (the capability matrix). */
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
  const features = requiredFeatures(draft);
  const caps: ModelCapabilities = MODELS[draft.model];
  const hasModes = caps.modes.length > 0;
  return (
    <div className="setup-fields">
      <div className="setup-fields__row">
        <SelectField
          label="Model"
          noun="models"
          value={draft.model}
          choices={modelChoices(features)}
          onChange={setModel}
        />
        <SelectField
          label="Mode"
          value={hasModes ? draft.mode : ''}
          choices={hasModes ? modeChoices(draft.model, features) : []}
          onChange={setMode}
          disabled={!hasModes}
          hint={hasModes ? undefined : `${caps.label} takes no mode.`}
        />
        <SelectField
          label="Duration"
          value={draft.duration}
          choices={durationChoices(draft.model, draft.mode, features)}
          onChange={setDuration}
        />
      </div>
      <FieldIssues fields={['model_name', 'mode', 'duration']} />
      {caps.cfgScale && (
        <div className="field">
          <div className="field__row">
            <label htmlFor="cfg-scale" className="field__label">
              cfg_scale <span className="muted">(prompt adherence)</span>
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
          <p className="field__hint">Higher follows the prompt more strictly. Kling 1.x only; default 0.5.</p>
          <FieldIssues fields={['cfg_scale']} />
        </div>
      )}
    </div>
  );
}
