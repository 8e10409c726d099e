import type { ReactNode } from 'react';

interface FeatureOfferProps {
  /** "Camera control" */
  title: string;
  /** The current setup, "kling-v1 std 5s". */
  current: string;
  availableOn: readonly string[];
  /** "kling-v1-5 pro 5s", when there is a setup to switch to. */
  switchLabel?: string;
  onSwitch?(): void;
  /** What the switch would leave unsupported ("camera control"), so the creator is not surprised. */
  conflicts?: readonly string[];
  /** A quiet one-paragraph note instead of the highlighted box (for optional extras). */
  compact?: boolean;
  children?: ReactNode;
}

/** "X is not available on this setup; it is on …" with a one-click switch. */
export function FeatureOffer(props: FeatureOfferProps) {
  const { title, current, availableOn, switchLabel, onSwitch, conflicts = [], compact, children } = props;
  return (
    <div className={compact ? 'offer offer--compact' : 'offer'} role="note">
      <p className="offer__text">
        <strong>{title}</strong> is not available on <code>{current}</code>.{' '}
        {availableOn.length > 0 ? (
          <>
            It is available on{' '}
            {availableOn.map((s, i) => (
              <span key={s}>
                {i > 0 && ', '}
                <code>{s}</code>
              </span>
            ))}
            .
          </>
        ) : (
          'No model offers it for image-to-video.'
        )}
      </p>
      {children}
      {switchLabel && onSwitch && (
        <div className="offer__actions">
          <button type="button" className={compact ? 'button' : 'button button--primary'} onClick={onSwitch}>
            Switch to {switchLabel}
          </button>
          {conflicts.length > 0 && (
            <span className="offer__conflict">
              {conflicts.join(' and ')} {conflicts.length > 1 ? "aren't" : "isn't"} available there
            </span>
          )}
        </div>
      )}
    </div>
  );
}
