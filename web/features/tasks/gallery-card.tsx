import { memo, useState } from 'react';
import { isFinalStatus } from '../../../contract/schemas/kling-task.ts';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { excerpt, formatCreated, formatTimestamp } from './format.ts';
import { ModelBadge } from './model-badge.tsx';
import { costLine, MOTION_LABELS, settingsLine, statusLabel } from './task-labels.ts';
import { TaskProgress } from './task-progress.tsx';
import { TaskStatus } from './task-status.tsx';

export interface GalleryCardProps {
  task: StudioTask;
  /** 1-based place in the whole history, and its length: the list is windowed, so say it per card. */
  position: number;
  setSize: number;
  now: number;
  picked: boolean;
  /** The task Generate just made in this tab: marked until another one is made. */
  isNew: boolean;
  /** This card's video plays (muted, inline); the gallery lets one card at a time do so. */
  previewing: boolean;
  onOpen: (task: StudioTask) => void;
  onTogglePick: (id: string) => void;
  onPreview: (id: string | null) => void;
}

/** Hover-play is motion the creator did not ask for: off when the system asks for less motion. */
const prefersReducedMotion = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

const promptOf = (task: StudioTask) => excerpt(task.prompt) || 'Untitled (no prompt)';

/**
 * One result: a frame of its video (the input still until there is one) that plays on hover or focus, its
 * prompt (the button that opens it in the Result viewer), status, setup and cost in the composer's words.
 */
export const GalleryCard = memo(function GalleryCard({
  task,
  position,
  setSize,
  now,
  picked,
  isNew,
  previewing,
  onOpen,
  onTogglePick,
  onPreview,
}: GalleryCardProps) {
  const prompt = promptOf(task);
  const playable = task.status === 'succeed' && !!task.video;
  const cost = costLine(task);
  const preview = (on: boolean) => playable && !prefersReducedMotion() && onPreview(on ? task.id : null);
  return (
    <li
      className="gallery-card"
      data-status={task.status}
      data-new={isNew || undefined}
      data-picked={picked || undefined}
      aria-posinset={position}
      aria-setsize={setSize}
      onPointerEnter={(e) => e.pointerType === 'mouse' && preview(true)}
      onPointerLeave={() => preview(false)}
    >
      <div className="gallery-media">
        <CardImage sources={[task.posterUrl, task.thumbnailUrl]} />
        {previewing && playable && <HoverVideo task={task} />}
        {!isFinalStatus(task.status) && (
          // Drawn by CSS from the attribute: the card's text already says the status once.
          <span className="gallery-media-badge" data-label={statusLabel(task.status)} aria-hidden="true" />
        )}
      </div>
      <div className="gallery-meta">
        <button
          type="button"
          className="gallery-open"
          onClick={() => onOpen(task)}
          onFocus={() => preview(true)}
          onBlur={() => preview(false)}
          title={task.prompt}
        >
          {prompt}
        </button>
        <p className="gallery-line">
          <TaskStatus task={task} />
          {' · '}
          {isFinalStatus(task.status) ? (
            <>
              <TaskProgress task={task} now={now} />
              {' · '}
            </>
          ) : null}
          <time dateTime={new Date(task.createdAt).toISOString()} title={formatTimestamp(task.createdAt)}>
            {formatCreated(task.createdAt, now)}
          </time>
        </p>
        <p className="gallery-line gallery-setup">
          {settingsLine(task)} · {MOTION_LABELS[task.motion]}
          {cost && ` · ${cost}`} <ModelBadge model={task.model} />
        </p>
        {isFinalStatus(task.status) ? (
          <div className="gallery-progress-slot" />
        ) : (
          <TaskProgress task={task} now={now} compact />
        )}
      </div>
      {playable && (
        <input
          type="checkbox"
          className="gallery-pick"
          checked={picked}
          onChange={() => onTogglePick(task.id)}
          aria-label={`Pick ${prompt}`}
          title="Pick to compare or download"
        />
      )}
    </li>
  );
});

/** The result's poster, else the start frame's thumbnail, else a neutral tile: whichever loads first. */
function CardImage({ sources }: { sources: readonly (string | null | undefined)[] }) {
  const urls = sources.filter((s): s is string => !!s);
  const [failed, setFailed] = useState(0);
  const url = urls[failed];
  // Decorative: the card's text says what the task is.
  if (!url) return <div className="gallery-image" aria-hidden="true" />;
  return (
    <img
      key={url}
      className="gallery-image"
      src={url}
      alt=""
      loading="lazy"
      decoding="async"
      onError={() => setFailed((n) => n + 1)}
    />
  );
}

/**
 * `muted` is set as a property before play(): React does not write the attribute, and browsers let only
 * muted videos play without a click. One function for every card, so React calls it on mount only.
 */
function startMuted(video: HTMLVideoElement | null) {
  if (!video) return;
  video.muted = true;
  void video.play?.()?.catch(() => {});
}

/**
 * The result playing muted and inline over its poster while the card is hovered or focused. Made only
 * then (the gallery loads no video until asked), and gone when the pointer or focus leaves.
 */
function HoverVideo({ task }: { task: StudioTask }) {
  return (
    // biome-ignore lint/a11y/useMediaCaption: a muted preview of the result the card describes; the viewer plays it with sound
    <video
      className="gallery-preview"
      src={task.video?.url}
      poster={task.posterUrl ?? undefined}
      ref={startMuted}
      loop
      playsInline
      preload="auto"
      aria-hidden="true"
      tabIndex={-1}
    />
  );
}
