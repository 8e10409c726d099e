import type { ReactNode } from 'react';

interface FeatureOfferProps {
  /** "Camera control" */
  title: string;
  /** The current setup, "Kling 2.6 · Standard · 5 s". */
  current: string;
  availableOn: readonly string[];
  /** "Kling 1.5 · Pro · 5 s", when there is a setup to switch to. */
  switchLabel?: string;
  /** What the switch does to the price, "+2 units, ≈ $0.28", said before it is pressed. */
  switchCost?: string;
  onSwitch?(): void;
  /** What the switch would leave unsupported ("camera control"), so the creator is not surprised. */
  conflicts?: readonly string[];
  /** A quiet one-paragraph note instead of the highlighted box (for optional extras). */
  compact?: boolean;
  children?: ReactNode;
}

/** "X is not available on this setup; it is on …" with a one-click switch. */
export function FeatureOffer(props: FeatureOfferProps) {
  const {
    title,
    current,
    availableOn,
    switchLabel,
    switchCost,
    onSwitch,
    conflicts = [],
    compact,
    children,
  } = props;
  return (
    <div className={compact ? 'offer offer--compact' : 'offer'} role="note">
      <p className="offer__text">
        <strong>{title}</strong> is not available on <span className="offer__setup">{current}</span>.{' '}
        {availableOn.length > 0 ? (
          <>
            It is available on{' '}
            {availableOn.map((s, i) => (
              <span key={s}>
                {i > 0 && ', '}
                <span className="offer__setup">{s}</span>
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
          {switchCost && <span className="offer__cost">{switchCost}</span>}
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
