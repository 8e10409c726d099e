import { useEffect, useId, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  CAMERA_TYPES,
  type CameraType,
  describeSetup,
  setupsSupporting,
  variantOf,
} from '../../../contract/capabilities/matrix.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { CAMERA_AXES, type CameraAxis } from '../../../contract/schemas/create-request.ts';
import { useCapabilities } from '../../api/capabilities.ts';
import { FeatureOffer } from '../../components/feature-offer.tsx';
import { FieldIssues } from '../../components/field-issues.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { draftOf, useEditorStore } from '../../editor/editor-store.ts';
import { currentSetup, featureOffer, offerView } from '../../editor/gating.ts';
import { AXIS_LABELS, CAMERA_TYPE_LABELS, nonZeroAxes } from './camera-motion.ts';
import { CameraPreview } from './camera-preview.tsx';

interface CameraPanelProps {
  /** The start frame to preview the move over. */
  image: { src: string; width: number; height: number } | null;
}

/** Why a camera type can't be picked on the current setup. */
function typeReason(type: CameraType, offered: readonly CameraType[], setupText: string): string | undefined {
  if (offered.includes(type)) return undefined;
  const anywhere = setupsSupporting('camera').filter((s) =>
    variantOf(s.model, s.mode, s.duration).camera.includes(type),
  );
  return anywhere.length ? `not on ${setupText}` : 'no model offers it for image-to-video';
}

export function CameraPanel({ image }: CameraPanelProps) {
  const draft = useEditorStore(useShallow(draftOf));
  const { setCameraType, setCameraAxis, resetCamera, applySetup } = useEditorStore(
    useShallow((s) => ({
      setCameraType: s.setCameraType,
      setCameraAxis: s.setCameraAxis,
      resetCamera: s.resetCamera,
      applySetup: s.applySetup,
    })),
  );
  const { type, config } = draft.camera;
  const setup = currentSetup(draft);
  const setupText = describeSetup(setup);
  const { retiredModels } = useCapabilities();
  const offer = featureOffer(draft, 'camera', retiredModels);
  const offered = variantOf(setup.model, setup.mode, setup.duration).camera;
  const statusId = useId();

  // Which axes were just zeroed by moving another one, so they can flash and be announced.
  const [reset, setReset] = useState<{ moved: CameraAxis; cleared: CameraAxis[] } | null>(null);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  function onAxis(axis: CameraAxis, value: number) {
    const cleared = nonZeroAxes(config).filter((a) => a !== axis);
    setCameraAxis(axis, value);
    if (cleared.length) {
      setReset({ moved: axis, cleared });
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => setReset(null), 2500);
    }
  }

  return (
    <div className="camera-panel">
      {!offer.supported && <FeatureOffer title="Camera control" {...offerView(draft, offer, applySetup)} />}
      <div className="camera-panel__grid">
        <div className="camera-panel__controls">
          <SelectField<CameraType>
            label="Camera type"
            value={type}
            onChange={setCameraType}
            choices={CAMERA_TYPES.map((t) => ({
              value: t,
              label: CAMERA_TYPE_LABELS[t],
              disabledReason: offer.supported ? typeReason(t, offered, setupText) : undefined,
            }))}
          />
          {type === 'simple' ? (
            <fieldset className="sliders" aria-describedby={statusId}>
              <legend className="field__label">Move one axis (−10 to 10)</legend>
              {CAMERA_AXES.map((axis) => (
                <AxisSlider
                  key={axis}
                  axis={axis}
                  value={config[axis]}
                  flashed={!!reset?.cleared.includes(axis)}
                  onChange={(v) => onAxis(axis, v)}
                />
              ))}
              <div className="sliders__footer">
                <p id={statusId} className="field__hint" aria-live="polite">
                  {reset
                    ? `${AXIS_LABELS[reset.moved]} moved, so ${reset.cleared.map((a) => AXIS_LABELS[a]).join(' and ')} went back to 0: Kling moves one axis at a time.`
                    : 'Kling moves one axis at a time: moving one slider resets the others.'}
                </p>
                <button
                  type="button"
                  className="button button--ghost"
                  onClick={resetCamera}
                  disabled={nonZeroAxes(config).length === 0}
                >
                  Reset camera
                </button>
              </div>
            </fieldset>
          ) : (
            <p className="field__hint">A preset move takes no axes; Kling decides its strength.</p>
          )}
          <FieldIssues fields={['camera_control']} />
        </div>
        <CameraPreview type={type} config={config} image={image} />
      </div>
    </div>
  );
}

interface AxisSliderProps {
  axis: CameraAxis;
  value: number;
  flashed: boolean;
  onChange(value: number): void;
}

function AxisSlider({ axis, value, flashed, onChange }: AxisSliderProps) {
  const id = useId();
  return (
    <div className={`slider${value !== 0 ? ' slider--active' : ''}${flashed ? ' slider--reset' : ''}`}>
      <label htmlFor={id} className="slider__label">
        {AXIS_LABELS[axis]}
      </label>
      <input
        id={id}
        type="range"
        className="slider__input"
        min={LIMITS.cameraAxisMin}
        max={LIMITS.cameraAxisMax}
        step={1}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        onDoubleClick={() => onChange(0)}
      />
      <output htmlFor={id} className="slider__value">
        {value > 0 ? `+${value}` : value}
      </output>
    </div>
  );
}
