import { useQueries } from '@tanstack/react-query';
import { createRef, type RefObject, useId, useMemo, useRef, useState } from 'react';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { taskQueries } from '../../api/task-queries.ts';
import { DialogHeader } from './dialog-header.tsx';
import { excerpt, formatElapsed } from './format.ts';
import { ModalDialog } from './modal-dialog.tsx';
import { canWipe, MAX_COMPARED } from './selection.ts';
import { MOTION_LABELS, settingsLine } from './task-labels.ts';
import { useSyncedPlayback } from './use-synced-playback.ts';

interface CompareViewProps {
  /**
   * Two or more finished results: the picks (two to four, in the order they were picked), or a batch's
   * finished videos in its order, shown four at a time.
   */
  ids: readonly string[];
  onClose: () => void;
}

type Layout = 'side' | 'wipe';

/**
 * Finished videos playing in step, to judge which take works: side by side in a grid (up to four at once;
 * more step through four at a time), or (for a pair) one over the other with a "Wipe" slider revealing the
 * second, the way colourists compare grades.
 */
export function CompareView({ ids, onClose }: CompareViewProps) {
  const headingId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  const [from, setFrom] = useState(0);
  const shown = ids.slice(from, from + MAX_COMPARED);
  // Finished tasks don't change: no polling here.
  const results = useQueries({ queries: shown.map((id) => taskQueries.detail(id, { pollMs: false })) });
  const tasks = results.map((r) => r.data).filter((t): t is StudioTask => !!t?.video);
  const error = results.find((r) => r.error)?.error;
  // The last step shows the last four, so every step compares four.
  const last = Math.max(0, ids.length - MAX_COMPARED);

  return (
    <ModalDialog label="Compare" onClose={onClose} initialFocus={closeRef} className="compare-dialog">
      <div className="tasks-compare">
        <DialogHeader
          headingId={headingId}
          title="Compare"
          closeLabel="Close comparison"
          onClose={onClose}
          closeRef={closeRef}
        />
        {ids.length > MAX_COMPARED && (
          <div className="tasks-compare-pages">
            <span aria-live="polite">
              Videos {from + 1}–{from + shown.length} of {ids.length}
            </span>
            <button
              type="button"
              className="button"
              disabled={from === 0}
              onClick={() => setFrom(Math.max(0, from - MAX_COMPARED))}
            >
              Previous
            </button>
            <button
              type="button"
              className="button"
              disabled={from >= last}
              onClick={() => setFrom(Math.min(last, from + MAX_COMPARED))}
            >
              Next
            </button>
          </div>
        )}
        {tasks.length === shown.length ? (
          // A new set of videos starts paused, in step, from the top.
          <SyncedVideos key={shown.join(' ')} tasks={tasks} />
        ) : error ? (
          <p role="alert">These videos could not be loaded: {error.message}. Close and pick them again.</p>
        ) : (
          <p role="status">Loading the videos…</p>
        )}
      </div>
    </ModalDialog>
  );
}

function SyncedVideos({ tasks }: { tasks: readonly StudioTask[] }) {
  const count = tasks.length;
  const refs = useMemo<RefObject<HTMLVideoElement | null>[]>(
    () => Array.from({ length: count }, () => createRef<HTMLVideoElement>()),
    [count],
  );
  const sync = useSyncedPlayback(refs);
  const [muted, setMuted] = useState(true);
  const [layout, setLayout] = useState<Layout>('side');
  const [wipe, setWipe] = useState(50);
  const wiping = layout === 'wipe' && canWipe(tasks);
  const layoutName = useId();
  const all = count === 2 ? 'both' : 'all';

  return (
    <>
      {canWipe(tasks) && (
        <fieldset className="tasks-compare-layout">
          <legend>View</legend>
          {(
            [
              ['side', 'Side by side'],
              ['wipe', 'Wipe'],
            ] as const
          ).map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name={layoutName}
                value={value}
                checked={layout === value}
                onChange={() => setLayout(value)}
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
      )}
      {/* One set of <video> elements for both views: switching keeps them playing, in step. */}
      <div className="tasks-compare-stage" data-layout={wiping ? 'wipe' : 'side'} data-count={count}>
        {tasks.map((task, i) => (
          <figure
            key={task.id}
            className="tasks-compare-item"
            // Wiping, the second lies over the first, shown from the left edge up to the slider.
            style={wiping && i === 1 ? { clipPath: `inset(0 ${100 - wipe}% 0 0)` } : undefined}
          >
            <video
              ref={refs[i]}
              src={task.video?.url}
              poster={task.posterUrl ?? task.thumbnailUrl ?? undefined}
              aria-label={`Compared video ${i + 1}: ${excerpt(task.prompt, 60) || 'untitled'}`}
              loop
              playsInline
              preload="auto"
              // Several soundtracks at once are noise; the creator can turn sound on.
              muted={muted}
            />
            {!wiping && (
              <figcaption>
                <Caption task={task} />
              </figcaption>
            )}
          </figure>
        ))}
        {wiping && (
          <span className="tasks-wipe-line" style={{ insetInlineStart: `${wipe}%` }} aria-hidden="true" />
        )}
      </div>
      {wiping && (
        <div className="tasks-wipe">
          <input
            type="range"
            className="tasks-wipe-range"
            aria-label="Wipe"
            aria-valuetext={`${wipe} % of the second video shown`}
            min={0}
            max={100}
            step={1}
            value={wipe}
            onChange={(e) => setWipe(Number(e.target.value))}
          />
          <p className="tasks-wipe-caption">
            <span>
              Left of the line: <Caption task={tasks[1]!} />
            </span>
            <span>
              Right of it: <Caption task={tasks[0]!} />
            </span>
          </p>
        </div>
      )}
      <div className="tasks-compare-controls">
        <button type="button" className="button button--primary" onClick={sync.toggle}>
          {sync.playing ? `Pause ${all}` : `Play ${all}`}
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

function Caption({ task }: { task: StudioTask }) {
  return (
    <>
      <strong>{excerpt(task.prompt, 60) || 'Untitled'}</strong> · {settingsLine(task)} ·{' '}
      {MOTION_LABELS[task.motion]}
    </>
  );
}
