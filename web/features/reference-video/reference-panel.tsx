import { type DragEvent, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  CHARACTER_ORIENTATIONS,
  type CharacterOrientation,
  maxReferenceMs,
} from '../../../contract/capabilities/motion-control.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { seconds } from '../../../contract/rules/video-rules.ts';
import { FieldIssues } from '../../components/field-issues.tsx';
import { formatBytes } from '../../components/format.ts';
import { useEditorStore } from '../../editor/editor-store.ts';
import { clipFacts } from '../../editor/to-motion-control-request.ts';
import { CLIP_FIELD } from './clip-field.ts';
import { ingestClip, removeClip, retryUpload } from './clip-pipeline.ts';
import { percent, useClipStore } from './clip-state.ts';
import './reference-video.css';

/** Accessible names the tests and assistive tech rely on (design.md "Accessible names"). */
const INPUT_NAME = 'Reference video';

const ORIENTATION_TEXT: Record<CharacterOrientation, { label: string; line: string }> = {
  image: {
    label: 'Match the picture',
    line: `The character keeps facing the way it does in the picture; clips up to ${maxReferenceMs('image') / 1000} s.`,
  },
  video: {
    label: 'Match the video',
    line: `The character turns and faces as the person in the clip does; clips up to ${maxReferenceMs('video') / 1000} s.`,
  },
};

/** The "Reference video" tab: the clip whose motion the start frame's character copies, and how. */
export function ReferencePanel() {
  const ids = useId();
  const reference = useEditorStore((s) => s.reference);
  const { setOrientation, setKeepSound } = useEditorStore(
    useShallow((s) => ({ setOrientation: s.setOrientation, setKeepSound: s.setKeepSound })),
  );
  const clip = useClipStore();
  const [dragging, setDragging] = useState(false);

  function onFiles(files: FileList | null) {
    const file = files?.[0];
    if (file) void ingestClip(file, file.name || 'reference video');
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    onFiles(e.dataTransfer.files);
  }

  const facts = reference.clip ? clipFacts(reference.clip) : clip.facts;
  const name = reference.clip?.name ?? (clip.file ? clip.fileName : '');
  const uploading = clip.phase.kind === 'uploading' ? clip.phase : undefined;
  const filled = !!(clip.previewUrl || reference.clip);

  return (
    <div className="reference-panel">
      <p className="field__hint">
        The start frame is the character; this clip is the motion it copies. The result lasts as long as the
        clip.
      </p>

      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target; the file input inside is the keyboard path */}
      <div
        className={`dropzone reference-drop${dragging ? ' dropzone--over' : ''}${filled ? ' dropzone--filled' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        aria-busy={clip.checking || !!uploading}
      >
        {clip.previewUrl ? (
          <video
            key={clip.previewUrl}
            className="reference-preview"
            src={clip.previewUrl}
            aria-label="Reference video preview"
            controls
            muted
            loop
            playsInline
            preload="metadata"
          />
        ) : reference.clip ? (
          <div className="dropzone__empty">
            <p>
              <strong>Uploaded.</strong>
            </p>
            <p className="muted">
              The studio keeps the clip for a day; its preview is not kept after a reload. Add it again to
              watch it here.
            </p>
          </div>
        ) : (
          <div className="dropzone__empty">
            <svg viewBox="0 0 24 24" aria-hidden="true" className="dropzone__icon">
              <rect
                x="3"
                y="5"
                width="14"
                height="14"
                rx="2"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.5"
              />
              <path d="M17 10l4-2.5v9L17 14z" fill="currentColor" opacity=".35" />
            </svg>
            <p>
              <strong>Drop an MP4 or MOV clip here</strong>
            </p>
            <p className="muted">
              {LIMITS.videoMinMs / 1000}–{LIMITS.videoMaxMsOrientationVideo / 1000} s, {LIMITS.videoMinSide}–
              {LIMITS.videoMaxSide} px per side, up to {LIMITS.videoMaxBytes / (1024 * 1024)} MB. One person,
              clearly visible, works best.
            </p>
          </div>
        )}
        {clip.checking && <div className="dropzone__busy">Checking the video…</div>}
      </div>

      {uploading && (
        <div className="reference-progress">
          <progress
            aria-label="Uploading the reference video"
            max={100}
            value={percent(uploading.loaded, uploading.total)}
          />
          <span aria-hidden="true">{percent(uploading.loaded, uploading.total)} %</span>
          <span className="muted">
            {formatBytes(uploading.loaded)} of {formatBytes(uploading.total)}
          </span>
        </div>
      )}

      <div className="frame-picker__bar">
        {facts && facts.format !== 'unknown' && (
          <p className="frame-meta" aria-live="polite">
            <span>{seconds(facts.durationMs)}</span>
            <span>
              {facts.width} × {facts.height} px
            </span>
            <span>{formatBytes(facts.bytes)}</span>
            <span>{facts.format.toUpperCase()}</span>
            <span>{facts.hasAudio ? 'with sound' : 'no sound'}</span>
            {reference.clip && <span>uploaded</span>}
            {name && (
              <span className="frame-meta__name" title={name}>
                {name}
              </span>
            )}
          </p>
        )}
        <div className="frame-picker__buttons">
          <label className="button file-button">
            {filled ? 'Replace…' : 'Browse…'}
            <input
              type="file"
              aria-label={INPUT_NAME}
              className="sr-only"
              accept="video/mp4,video/quicktime,.mp4,.mov"
              onChange={(e) => {
                onFiles(e.target.files);
                e.target.value = '';
              }}
            />
          </label>
          {filled && (
            <button type="button" className="button button--ghost" onClick={removeClip}>
              Remove <span className="sr-only">the reference clip</span>
            </button>
          )}
        </div>
      </div>

      {clip.rejected.length > 0 && (
        <div className="rejection" role="alert">
          <p className="rejection__title">That video can't be used (nothing was uploaded):</p>
          <ul>
            {clip.rejected.map((v) => (
              <li key={v.rule + v.message}>{v.message}</li>
            ))}
          </ul>
        </div>
      )}
      {clip.phase.kind === 'failed' && (
        <div className="rejection" role="alert">
          <p className="rejection__title">The upload was refused: {clip.phase.message}</p>
          {clip.phase.issues.length > 0 && (
            <ul>
              {clip.phase.issues.map((v) => (
                <li key={v.rule + v.message}>{v.message}</li>
              ))}
            </ul>
          )}
          {clip.file && (
            <button type="button" className="button" onClick={() => void retryUpload()}>
              Upload again
            </button>
          )}
        </div>
      )}
      {clip.phase.kind === 'expired' && (
        <div className="rejection" role="alert">
          <p className="rejection__title">{clip.phase.issue.message}</p>
          {clip.file && (
            <button type="button" className="button" onClick={() => void retryUpload()}>
              Upload it again
            </button>
          )}
        </div>
      )}
      <FieldIssues fields={[CLIP_FIELD]} showClient />

      <div className="field">
        <div role="radiogroup" aria-labelledby={`${ids}-o`} className="reference-orientation">
          <span id={`${ids}-o`} className="field__label">
            Character orientation
          </span>
          {CHARACTER_ORIENTATIONS.map((o) => (
            <div key={o} className="reference-orientation__choice">
              <label className="reference-orientation__label">
                <input
                  type="radio"
                  name={`${ids}-orientation`}
                  value={o}
                  checked={reference.orientation === o}
                  aria-describedby={`${ids}-o-${o}`}
                  onChange={() => setOrientation(o)}
                />
                {ORIENTATION_TEXT[o].label}
              </label>
              <p id={`${ids}-o-${o}`} className="field__hint">
                {ORIENTATION_TEXT[o].line}
              </p>
            </div>
          ))}
        </div>
        <FieldIssues fields={['character_orientation']} />
      </div>

      <div className="field">
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            aria-checked={reference.keepSound === 'yes'}
            checked={reference.keepSound === 'yes'}
            aria-describedby={`${ids}-s`}
            onChange={(e) => setKeepSound(e.target.checked)}
          />
          <span className="switch__track" aria-hidden="true" />
          <span>Keep the video's sound</span>
        </label>
        <p id={`${ids}-s`} className="field__hint">
          {facts && !facts.hasAudio
            ? 'This clip has no sound track, so the result is silent either way.'
            : "On: the result carries the clip's audio. Off: the result is silent."}
        </p>
        <FieldIssues fields={['keep_original_sound']} />
      </div>
    </div>
  );
}
