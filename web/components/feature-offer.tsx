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
  children?: ReactNode;
}

/** "X is not available on this setup; it is on …" with a one-click switch. */
export function FeatureOffer({
  title,
  current,
  availableOn,
  switchLabel,
  onSwitch,
  children,
}: FeatureOfferProps) {
  return (
    <div className="offer" role="note">
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
        <button type="button" className="button button--primary" onClick={onSwitch}>
          Switch to {switchLabel}
        </button>
      )}
    </div>
  );
}
