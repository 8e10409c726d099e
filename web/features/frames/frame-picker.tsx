import { type DragEvent, type FormEvent, type ReactNode, useId, useState } from 'react';
import { LIMITS } from '../../../contract/limits.ts';
import type { Violation } from '../../../contract/schemas/studio-api.ts';
import { FieldIssues } from '../../components/field-issues.tsx';
import { formatBytes } from '../../components/format.ts';
import type { FrameSlot } from '../../editor/draft-types.ts';
import { useEditorStore } from '../../editor/editor-store.ts';
import { FRAME_FIELD } from './check-image.ts';
import { frameFromFile, frameFromUrl, type IngestResult } from './ingest.ts';
import { useFrameSrc } from './use-frame-src.ts';

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
}

export interface FrameIngestState {
  busy: boolean;
  rejected: Violation[];
  note: string | undefined;
}

/** Applies an ingest result to the draft; a rejected image never replaces the current frame. */
export function useFrameIngest(slot: FrameSlot) {
  const setFrame = useEditorStore((s) => s.setFrame);
  const [state, setState] = useState<FrameIngestState>({ busy: false, rejected: [], note: undefined });
  async function run(work: () => Promise<IngestResult>) {
    setState({ busy: true, rejected: [], note: undefined });
    try {
      const r = await work();
      if (r.ok) {
        setFrame(slot, r.frame);
        setState({ busy: false, rejected: [], note: r.note });
      } else setState({ busy: false, rejected: r.violations, note: undefined });
    } catch {
      setState({
        busy: false,
        rejected: [{ field: FRAME_FIELD[slot], rule: 'unreadable', message: 'The file could not be read.' }],
        note: undefined,
      });
    }
  }
  return { state, run, clear: () => setState({ busy: false, rejected: [], note: undefined }) };
}

export function FramePicker({ slot, title, actions, emptyHint }: FramePickerProps) {
  const frame = useEditorStore((s) => s.frames[slot]);
  const setFrame = useEditorStore((s) => s.setFrame);
  const src = useFrameSrc(frame);
  const { state, run, clear } = useFrameIngest(slot);
  const [dragging, setDragging] = useState(false);
  const [url, setUrl] = useState('');
  const ids = useId();
  const word = WORD[slot];

  function onFiles(files: FileList | null) {
    const file = files?.[0];
    if (file) void run(() => frameFromFile(file, slot));
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) return onFiles(e.dataTransfer.files);
    const dropped = e.dataTransfer.getData('text/uri-list') || e.dataTransfer.getData('text/plain');
    if (dropped) void run(() => frameFromUrl(dropped.split('\n')[0]!, slot));
  }

  function onUrl(e: FormEvent) {
    e.preventDefault();
    if (!url.trim()) return;
    void run(() => frameFromUrl(url, slot)).then(() => setUrl(''));
  }

  const facts = frame?.facts;
  const aspect = facts && facts.width > 0 ? `${facts.width} / ${facts.height}` : '16 / 9';

  return (
    <div className="frame-picker">
      <div className="card__header">
        <h3 className="card__title">{title}</h3>
        <div className="card__actions">{actions}</div>
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target; the file input inside is the keyboard path */}
      <div
        className={`dropzone${dragging ? ' dropzone--over' : ''}${frame ? ' dropzone--filled' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        aria-busy={state.busy}
      >
        {frame && src ? (
          <figure className="frame-preview" style={{ aspectRatio: aspect }}>
            <img src={src} alt={`${title} preview`} className="frame-preview__img" />
          </figure>
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
              <strong>Drop a JPG or PNG here</strong>
            </p>
            <p className="muted">
              At least {LIMITS.imageMinSide} px per side, up to 10 MB, between 1:2.5 and 2.5:1.
            </p>
            {emptyHint}
          </div>
        )}
        {state.busy && <div className="dropzone__busy">Checking the image…</div>}
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
        <button type="submit" className="button" disabled={!url.trim() || state.busy}>
          Use URL
        </button>
      </form>

      {state.rejected.length > 0 && (
        <div className="rejection" role="alert">
          <p className="rejection__title">That image can't be used:</p>
          <ul>
            {state.rejected.map((v) => (
              <li key={v.rule + v.message}>{v.message}</li>
            ))}
          </ul>
        </div>
      )}
      {state.note && <p className="note">{state.note}</p>}
      {/* The start frame is also motion control's character picture (image_url). */}
      <FieldIssues fields={slot === 'start' ? [FRAME_FIELD.start, 'image_url'] : [FRAME_FIELD[slot]]} />
    </div>
  );
}
