import { useShallow } from 'zustand/react/shallow';
import { LIMITS } from '../../../contract/limits.ts';
import { FieldIssues } from '../../components/field-issues.tsx';
import { useEditorStore } from '../../editor/editor-store.ts';
import { fitShotLengths, shotsTotal, takesElements, takesMultiShot } from '../../editor/storyboard.ts';
import { ElementFields } from './element-fields.tsx';
import { ShotCard } from './shot-card.tsx';
import { ShotTimeline } from './shot-timeline.tsx';
import './storyboard.css';

/**
 * kling-v3 multi-shot: the switch, then the storyboard — shot cards, the timeline, the running total
 * against the video's duration with "Fit to N s" — or "Let Kling plan the shots"; and element ids.
 * Every issue the contract finds is shown beside the shot it names, in the contract's words.
 */
export function StoryboardPanel() {
  const {
    model,
    mode,
    duration,
    storyboard: sb,
  } = useEditorStore(
    useShallow((s) => ({ model: s.model, mode: s.mode, duration: s.duration, storyboard: s.storyboard })),
  );
  const a = useEditorStore(
    useShallow((s) => ({
      setMultiShot: s.setMultiShot,
      setShotType: s.setShotType,
      addShot: s.addShot,
      fitShots: s.fitShots,
    })),
  );
  const setup = { model, mode, duration };
  // The switch stays usable while it is on, so a storyboard carried onto another model can be undone.
  const multiShot = takesMultiShot(setup) || sb.enabled;
  const elements = takesElements(setup) || sb.elements.length > 0;
  const seconds = Number(duration);
  const total = shotsTotal(sb.shots);
  const canFit = fitShotLengths(
    sb.shots.map((s) => s.seconds),
    seconds,
  );
  const planned = sb.shotType === 'intelligence';

  return (
    <section className="card storyboard-card" aria-label="Multi-shot">
      <div className="card__header">
        <h2 className="card__title">Multi-shot</h2>
        <span className="muted">kling-v3: up to {LIMITS.shotsMax} shots in one video</span>
      </div>
      {multiShot && (
        <>
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              aria-checked={sb.enabled}
              checked={sb.enabled}
              onChange={(e) => a.setMultiShot(e.target.checked)}
            />
            <span className="switch__track" aria-hidden="true" />
            <span>Multi-shot</span>
          </label>
          <FieldIssues fields={['multi_shot', 'shot_type']} showClient />
        </>
      )}

      {sb.enabled && (
        <section className="storyboard" aria-label="Storyboard">
          <label className="reference-orientation__label">
            <input
              type="checkbox"
              checked={planned}
              onChange={(e) => a.setShotType(e.target.checked ? 'intelligence' : 'customize')}
            />
            Let Kling plan the shots
          </label>
          {planned ? (
            <p className="field__hint">
              Kling cuts the video into shots itself, from the prompt — so the prompt is required. Your shots
              are kept for when you lay them out again.
            </p>
          ) : (
            <>
              <p className="field__hint">
                Each shot has its own prompt and length; Kling follows the shots, not the prompt above.
              </p>
              <ol className="storyboard__shots">
                {sb.shots.map((shot, i) => (
                  <ShotCard key={shot.id} shot={shot} index={i} count={sb.shots.length} />
                ))}
              </ol>
              <ShotTimeline shots={sb.shots} duration={seconds} />
              <div className="storyboard__total">
                <span
                  role="status"
                  className={total === seconds ? '' : 'storyboard__total--off'}
                >{`Shots: ${total} s of ${seconds} s`}</span>
                {total !== seconds && sb.shots.length > 0 && (
                  <button
                    type="button"
                    className="button"
                    disabled={!canFit}
                    title={
                      canFit
                        ? 'Rebalance the lengths in proportion, in whole seconds'
                        : `${sb.shots.length} shots need at least ${sb.shots.length * LIMITS.shotMinSeconds} s`
                    }
                    onClick={a.fitShots}
                  >
                    {`Fit to ${seconds} s`}
                  </button>
                )}
                <button
                  type="button"
                  className="button"
                  onClick={a.addShot}
                  disabled={sb.shots.length >= LIMITS.shotsMax}
                >
                  Add shot
                </button>
              </div>
              <FieldIssues fields={['multi_prompt']} exact showClient />
            </>
          )}
        </section>
      )}

      {elements && <ElementFields />}
    </section>
  );
}
