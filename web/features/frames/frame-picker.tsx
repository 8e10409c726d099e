import { type DragEvent, type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { LIMITS } from '../../../contract/limits.ts';
import { FieldIssues } from '../../components/field-issues.tsx';
import { formatBytes } from '../../components/format.ts';
import { showNotice } from '../../components/notices.tsx';
import type { FrameSlot } from '../../editor/draft-types.ts';
import { useEditorStore } from '../../editor/editor-store.ts';
import { type DroppedPictures, picturesFromFiles } from './batch-pictures.ts';
import { FRAME_FIELD } from './check-image.ts';
import { FrameFixes } from './frame-fixes.tsx';
import { checkImageUrl } from './image-url-check.ts';
import { frameFromFile, frameFromUrl } from './ingest.ts';
import { rememberThumbnail, thumbnailOf } from './url-thumbnails.ts';
import { useFrameIngest } from './use-frame-ingest.ts';
import { useFrameSrc } from './use-frame-src.ts';
import { SLOT_ATTRIBUTE, usePasteInto } from './use-paste.ts';
import './frames.css';

/** Accessible names the tests and assistive tech rely on (design.md): exactly these, nothing else. */
const INPUT_NAME: Record<FrameSlot, string> = { start: 'Start frame', end: 'End frame' };
/** Other controls avoid the words "start frame"/"end frame", so a label lookup finds only the input. */
const WORD: Record<FrameSlot, string> = { start: 'start', end: 'end' };

interface FramePickerProps {
  slot: FrameSlot;
  title: string;
  /** Extra header actions (the start frame's "Try a sample"). */
  actions?: ReactNode;
  /** Shown in the empty state under the drop hint. */
  emptyHint?: ReactNode;
  /**
   * Several pictures dropped or picked at once (the start frame's batch drop): each is checked by the
   * frame rules and handed over; the frame itself is left as it is. Without it only the first is taken.
   */
  onPictures?: (pictures: DroppedPictures) => void;
}

export function FramePicker({ slot, title, actions, emptyHint, onPictures }: FramePickerProps) {
  const frame = useEditorStore((s) => s.frames[slot]);
  const setFrame = useEditorStore((s) => s.setFrame);
  const src = useFrameSrc(frame);
  const { state, run, fix, refuse, clear } = useFrameIngest(slot);
  const [dragging, setDragging] = useState(false);
  const [checkingMany, setCheckingMany] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const ids = useId();
  const word = WORD[slot];
  const what = `${word} picture`;

  const takePicture = (file: File) => run(() => frameFromFile(file, slot), file);
  const takeUrl = (address: string) => run(() => frameFromUrl(address, slot));
  /**
   * A paste can land while the creator is busy elsewhere (painting a mask, say): when it replaces a
   * frame, it says so, with an Undo.
   */
  const pasted = async (take: () => Promise<boolean>) => {
    const before = useEditorStore.getState().frames[slot];
    if ((await take()) && before)
      showNotice({
        message: `Pasted a new ${what}; it replaced the one before.`,
        undoLabel: 'Undo paste',
        undo: () => setFrame(slot, before),
      });
  };
  usePasteInto(slot, {
    picture: (file) => void pasted(() => takePicture(file)),
    url: (u) => void pasted(() => takeUrl(u)),
  });

  // A URL frame the studio has not shown this page (restored after a reload, or by Remix): ask it again,
  // for the thumbnail and the facts, and say at once if the picture no longer passes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: frame.id identifies the frame
  useEffect(() => {
    if (frame?.source !== 'url' || thumbnailOf(frame.url)) return;
    let live = true;
    checkImageUrl(frame.url, slot)
      .then((answer) => {
        if (!live) return;
        if (answer.thumbnail) rememberThumbnail(frame.url, answer.thumbnail);
        if (answer.violations.length) refuse({ ok: false, violations: answer.violations });
        else if (!frame.facts && answer.facts) setFrame(slot, { ...frame, facts: answer.facts });
      })
      .catch(() => {
        // Unreachable studio: Generate will say so; nothing to show beside the frame.
      });
    return () => {
      live = false;
    };
  }, [frame?.id]);

  function onFiles(files: FileList | null) {
    if (files && files.length > 1 && onPictures) {
      const all = [...files];
      setCheckingMany(`Checking ${all.length} pictures…`);
      void picturesFromFiles(all, slot)
        .then(onPictures)
        .finally(() => setCheckingMany(null));
      return;
    }
    const file = files?.[0];
    if (file) void takePicture(file);
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) return onFiles(e.dataTransfer.files);
    const dropped = e.dataTransfer.getData('text/uri-list') || e.dataTransfer.getData('text/plain');
    if (dropped) void takeUrl(dropped.split('\n')[0]!);
  }

  function onUrl(e: FormEvent) {
    e.preventDefault();
    if (!url.trim()) return;
    void takeUrl(url).then(() => setUrl(''));
  }

  const facts = frame?.facts;
  const aspect = facts && facts.width > 0 ? `${facts.width} / ${facts.height}` : '16 / 9';
  const refusal = state.refusal;

  return (
    <div className="frame-picker" {...{ [SLOT_ATTRIBUTE]: slot }}>
      <div className="card__header">
        <h3 className="card__title">{title}</h3>
        <div className="card__actions">{actions}</div>
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target; the file input inside is the keyboard path */}
      <div
        className={`dropzone${dragging ? ' dropzone--over' : ''}${frame ? ' dropzone--filled' : ''}`}
        // Focusable by a click (not a tab stop), so a paste after clicking the zone goes to this frame.
        tabIndex={-1}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        aria-busy={state.busy !== null || checkingMany !== null}
      >
        {frame && src ? (
          <figure className="frame-preview" style={{ aspectRatio: aspect }}>
            <img src={src} alt={`${title} preview`} className="frame-preview__img" />
          </figure>
        ) : frame ? (
          <div className="dropzone__empty">
            <p className="muted">
              {refusal ? 'No preview of this address.' : 'The studio is checking this address…'}
            </p>
          </div>
        ) : (
          <div className="dropzone__empty">
            <svg viewBox="0 0 24 24" aria-hidden="true" className="dropzone__icon">
              <path d="M4 16l4-4 3 3 5-6 4 5v2H4z" fill="currentColor" opacity=".35" />
              <rect
                x="3"
                y="4"
                width="18"
                height="16"
                rx="2"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.5"
              />
            </svg>
            <p>
              {/* A phone has nothing to drop from: it says what it can do. */}
              <strong className="frames-fine-pointer">Drop or paste a JPG or PNG here</strong>
              <strong className="frames-coarse-pointer">Choose a picture</strong>
            </p>
            <p className="muted">
              At least {LIMITS.imageMinSide} px per side, up to {LIMITS.imageMaxBytes / (1024 * 1024)} MB,
              between 1:2.5 and 2.5:1. A picture outside these can be fixed here.
            </p>
            {emptyHint}
          </div>
        )}
        {(state.busy ?? checkingMany) && <div className="dropzone__busy">{state.busy ?? checkingMany}</div>}
      </div>

      <div className="frame-picker__bar">
        {frame && (
          <p className="frame-meta" aria-live="polite">
            {facts && facts.width > 0 ? (
              <>
                <span>
                  {facts.width} × {facts.height} px
                </span>
                <span>{facts.format.toUpperCase()}</span>
                <span>{formatBytes(facts.bytes)}</span>
              </>
            ) : (
              <span>Not checked yet (URL)</span>
            )}
            <span className="frame-meta__name" title={frame.source === 'url' ? frame.url : frame.name}>
              {frame.source === 'url' ? frame.url : frame.name}
            </span>
          </p>
        )}
        <div className="frame-picker__buttons">
          <label className="button file-button">
            {frame ? 'Replace…' : 'Browse…'}
            <input
              type="file"
              aria-label={INPUT_NAME[slot]}
              className="sr-only"
              accept="image/png,image/jpeg"
              multiple={!!onPictures}
              onChange={(e) => {
                onFiles(e.target.files);
                e.target.value = '';
              }}
            />
          </label>
          {frame && (
            <button
              type="button"
              className="button button--ghost"
              onClick={() => {
                setFrame(slot, null);
                clear();
              }}
            >
              Remove <span className="sr-only">{word} image</span>
            </button>
          )}
        </div>
      </div>

      <form className="url-form" onSubmit={onUrl}>
        <label htmlFor={`${ids}-url`} className="sr-only">
          {`${word === 'start' ? 'Start' : 'End'} image URL`}
        </label>
        <input
          id={`${ids}-url`}
          type="url"
          className="input"
          placeholder="…or paste an image URL (https://)"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <button type="submit" className="button" disabled={!url.trim() || state.busy !== null}>
          Use URL
        </button>
      </form>

      {refusal && (
        <div className="rejection" role="alert">
          {refusal.thumbnail && (
            <img
              src={refusal.thumbnail}
              alt={`The refused ${what}, as the studio fetched it`}
              className="rejection__thumb"
            />
          )}
          <p className="rejection__title">That image can't be used:</p>
          <ul>
            {refusal.violations.map((v) => (
              <li key={v.rule + v.message}>{v.message}</li>
            ))}
          </ul>
          <FrameFixes refusal={refusal} what={what} busy={state.busy !== null} fix={fix} />
          {refusal.fixError && <p className="rejection__fix-error">{refusal.fixError}</p>}
        </div>
      )}
      {state.note && <p className="note">{state.note}</p>}
      {/* The start frame is also motion control's character picture (image_url). */}
      <FieldIssues fields={slot === 'start' ? [FRAME_FIELD.start, 'image_url'] : [FRAME_FIELD[slot]]} />
    </div>
  );
}
