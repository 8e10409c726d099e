import { useShallow } from 'zustand/react/shallow';
import { MODE_WORDS } from '../../../contract/capabilities/matrix.ts';
import {
  MOTION_CONTROL_MODEL_NAMES,
  MOTION_CONTROL_MODELS,
  type MotionControlCapabilities,
} from '../../../contract/capabilities/motion-control.ts';
import { FieldIssues } from '../../components/field-issues.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { useEditorStore } from '../../editor/editor-store.ts';

/** The creator's mode words, with the resolution each renders. */
const MODE_LABELS = { std: `${MODE_WORDS.std} (720p)`, pro: `${MODE_WORDS.pro} (1080p)` } as const;

/**
 * Model and mode for the Reference video tab: only the models that take motion control, and no duration
 * (the clip decides how long the result is).
 */
export function ReferenceSetupFields() {
  const { model, mode } = useEditorStore(
    useShallow((s) => ({ model: s.reference.model, mode: s.reference.mode })),
  );
  const { setReferenceModel, setReferenceMode } = useEditorStore(
    useShallow((s) => ({ setReferenceModel: s.setReferenceModel, setReferenceMode: s.setReferenceMode })),
  );
  const caps: MotionControlCapabilities = MOTION_CONTROL_MODELS[model];
  return (
    <div className="setup-fields">
      <div className="setup-fields__row">
        <SelectField
          label="Model"
          noun="models"
          value={model}
          choices={MOTION_CONTROL_MODEL_NAMES.map((m) => ({
            value: m,
            label: MOTION_CONTROL_MODELS[m].label,
            apiName: m,
          }))}
          onChange={setReferenceModel}
          hint="Motion control runs on these models only."
        />
        <SelectField
          label="Mode"
          value={mode}
          choices={caps.modes.map((m) => ({ value: m, label: MODE_LABELS[m], apiName: m }))}
          onChange={setReferenceMode}
        />
      </div>
      <p className="field__hint">No duration to pick: the result lasts as long as the reference video.</p>
      <FieldIssues fields={['model_name', 'mode']} />
    </div>
  );
}
