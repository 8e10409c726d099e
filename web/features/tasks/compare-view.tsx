import { useQueries } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { taskQueries } from '../../api/task-queries.ts';
import { DialogHeader } from './dialog-header.tsx';
import { excerpt, formatElapsed } from './format.ts';
import { MOTION_LABELS, settingsLine } from './task-labels.ts';
import { useSyncedPlayback } from './use-synced-playback.ts';

interface CompareViewProps {
  ids: readonly [string, string];
  onClose: () => void;
}

/** Two finished videos side by side, playing in step, to judge which motion works better. */
export function CompareView({ ids, onClose }: CompareViewProps) {
  const headingId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  // Finished tasks don't change: no polling here.
  const [a, b] = useQueries({ queries: ids.map((id) => taskQueries.detail(id, { pollMs: false })) });

  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const error = a?.error ?? b?.error;
  return (
    <div className="tasks-overlay">
      <div className="tasks-compare" role="dialog" aria-modal="true" aria-labelledby={headingId}>
        <DialogHeader
          headingId={headingId}
          title="Compare"
          closeLabel="Close comparison"
          onClose={onClose}
          closeRef={closeRef}
        />
        {a?.data?.video && b?.data?.video ? (
          <SyncedPair left={a.data} right={b.data} />
        ) : error ? (
          <p role="alert">These videos could not be loaded: {error.message}. Close and pick them again.</p>
        ) : (
          <p role="status">Loading both videos…</p>
        )}
      </div>
    </div>
  );
}

function SyncedPair({ left, right }: { left: StudioTask; right: StudioTask }) {
  const leftRef = useRef<HTMLVideoElement>(null);
  const rightRef = useRef<HTMLVideoElement>(null);
  const refs = useMemo(() => [leftRef, rightRef], []);
  const sync = useSyncedPlayback(refs);
  const [muted, setMuted] = useState(true);

  return (
    <>
      <div className="tasks-compare-grid">
        {[
          { task: left, ref: leftRef },
          { task: right, ref: rightRef },
        ].map(({ task, ref }) => (
          <figure key={task.id}>
            <video
              ref={ref}
              src={task.video?.url}
              poster={task.thumbnailUrl ?? undefined}
              aria-label={`Compared video: ${excerpt(task.prompt, 60) || 'untitled'}`}
              loop
              playsInline
              preload="auto"
              // Two soundtracks at once are noise; the creator can turn sound on.
              muted={muted}
            />
            <figcaption>
              <strong>{excerpt(task.prompt, 60) || 'Untitled'}</strong>
              <br />
              {settingsLine(task)} · {MOTION_LABELS[task.motion]}
            </figcaption>
          </figure>
        ))}
      </div>
      <div className="tasks-compare-controls">
        <button type="button" className="button button--primary" onClick={sync.toggle}>
          {sync.playing ? 'Pause both' : 'Play both'}
        </button>
        <input
          type="range"
          aria-label="Position"
          min={0}
          max={sync.duration || 0}
          step={0.04}
          value={sync.position}
          onChange={(e) => sync.seek(Number(e.target.value))}
        />
        <span>
          {formatElapsed(sync.position * 1000)} / {formatElapsed(sync.duration * 1000)}
        </span>
        <label>
          <input type="checkbox" checked={!muted} onChange={(e) => setMuted(!e.target.checked)} /> Sound
        </label>
      </div>
    </>
  );
}
