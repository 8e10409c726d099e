import {
  type CSSProperties,
  type KeyboardEvent,
  type PointerEvent,
  type RefObject,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { LIMITS } from '../../../contract/limits.ts';
import { formatAspect } from '../../../contract/rules/image-rules.ts';
import {
  arrowStep,
  type Box,
  boxAt,
  boxCenter,
  type CropGuide,
  cropGuides,
  minBoxScale,
  moveBox,
  type Size,
} from './fixes/crop-box.ts';

interface CropDialogProps {
  picture: File;
  /** "start picture" / "end picture", for the heading's hint. */
  what: string;
  onApply: (box: Box, guide: CropGuide) => void;
  onCancel: () => void;
}

const ALLOWED = `${formatAspect(1, 1 / LIMITS.aspectMin)} to ${formatAspect(LIMITS.aspectMax, 1)}`;

/**
 * "Crop to fit": a box locked to an allowed shape (the nearest first; 16:9, 9:16 and 1:1 as presets) over
 * the refused picture, moved by dragging or with the arrow keys, sized with a slider that stops at the
 * rules' minimum side. A native modal <dialog>: focus stays inside, Escape cancels.
 */
export function CropDialog({ picture, what, onApply, onCancel }: CropDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const ids = useId();
  const src = useMemo(() => URL.createObjectURL(picture), [picture]);
  useEffect(() => () => URL.revokeObjectURL(src), [src]);
  const [size, setSize] = useState<Size | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={dialogRef}
      className="crop-dialog"
      aria-labelledby={`${ids}-title`}
      aria-describedby={`${ids}-hint`}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={`${ids}-title`} className="crop-dialog__title">
        Crop to fit
      </h2>
      <p id={`${ids}-hint`} className="muted crop-dialog__hint">
        Kling takes pictures from {ALLOWED}. Drag the box over the part of the {what} to keep, or move it with
        the arrow keys (Shift moves faster).
      </p>
      {/* Read for its natural size (EXIF orientation applied, as createImageBitmap will see it). */}
      <img
        src={src}
        alt=""
        hidden
        onLoad={(e) =>
          setSize({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })
        }
        onError={() => setFailed(true)}
      />
      {failed ? (
        <p role="alert" className="rejection">
          The browser could not read this picture to crop it.
        </p>
      ) : size ? (
        <CropEditor picture={size} src={src} stageRef={stageRef} onApply={onApply} onCancel={onCancel} />
      ) : (
        <p role="status">Loading the picture…</p>
      )}
    </dialog>
  );
}

interface CropEditorProps {
  picture: Size;
  src: string;
  stageRef: RefObject<HTMLDivElement | null>;
  onApply: (box: Box, guide: CropGuide) => void;
  onCancel: () => void;
}

function CropEditor({ picture, src, stageRef, onApply, onCancel }: CropEditorProps) {
  const ids = useId();
  const guides = useMemo(() => cropGuides(picture), [picture]);
  const [guideIndex, setGuideIndex] = useState(0);
  const guide = guides[guideIndex]!;
  const [scale, setScale] = useState(1);
  const [center, setCenter] = useState({ x: picture.width / 2, y: picture.height / 2 });
  const box = boxAt(picture, guide.ratio, scale, center);
  const minScale = minBoxScale(picture, guide.ratio);
  const drag = useRef<{ pointerId: number; x: number; y: number; box: Box } | null>(null);
  const boxRef = useRef<HTMLDivElement>(null);

  // The box has focus from the start, so the arrow keys work at once.
  useEffect(() => boxRef.current?.focus(), []);

  const place = (next: Box) => setCenter(boxCenter(next));

  function onKeyDown(e: KeyboardEvent) {
    const step = arrowStep(picture, e.shiftKey);
    const delta = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[
      e.key
    ];
    if (!delta) return;
    e.preventDefault();
    place(moveBox(box, delta[0]!, delta[1]!, picture));
  }

  /** Screen pixels → picture pixels, from the stage's shown width. */
  const perPixel = () => picture.width / (stageRef.current?.getBoundingClientRect().width || picture.width);

  function onPointerDown(e: PointerEvent<HTMLDivElement>) {
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    drag.current = { pointerId: e.pointerId, x: e.clientX, y: e.clientY, box };
  }
  function onPointerMove(e: PointerEvent<HTMLDivElement>) {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    const k = perPixel();
    place(moveBox(d.box, (e.clientX - d.x) * k, (e.clientY - d.y) * k, picture));
  }
  const endDrag = () => {
    drag.current = null;
  };

  const pct = (v: number, of: number) => `${(v / of) * 100}%`;
  return (
    <>
      <div
        className="crop-stage"
        ref={stageRef}
        style={
          {
            aspectRatio: `${picture.width} / ${picture.height}`,
            '--crop-aspect': String(picture.width / picture.height),
          } as CSSProperties
        }
      >
        <img src={src} alt="What is being cropped" className="crop-stage__img" draggable={false} />
        <div
          ref={boxRef}
          className="crop-box"
          role="application"
          aria-roledescription="crop box"
          aria-label="Crop box"
          aria-describedby={`${ids}-keys`}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: an application region moved with the arrow keys
          tabIndex={0}
          style={{
            left: pct(box.x, picture.width),
            top: pct(box.y, picture.height),
            width: pct(box.width, picture.width),
            height: pct(box.height, picture.height),
          }}
          onKeyDown={onKeyDown}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endDrag}
          onPointerCancel={endDrag}
        >
          <span className="crop-box__thirds" aria-hidden="true" />
        </div>
        <span id={`${ids}-keys`} hidden>
          Arrow keys move the box; Shift with an arrow moves it further.
        </span>
      </div>

      <div className="crop-controls">
        <fieldset className="crop-shapes">
          <legend>Shape</legend>
          {guides.map((g, i) => (
            <label key={g.label} className="crop-shape">
              <input
                type="radio"
                name={`${ids}-shape`}
                checked={i === guideIndex}
                onChange={() => {
                  setGuideIndex(i);
                  setScale(1);
                }}
              />
              {g.label}
              {g.nearest && <span className="muted"> (nearest allowed)</span>}
            </label>
          ))}
        </fieldset>
        <label className="crop-size">
          <span>Crop size</span>
          <input
            type="range"
            min={Math.round(minScale * 100)}
            max={100}
            step={1}
            value={Math.round(Math.max(minScale, scale) * 100)}
            disabled={minScale >= 1}
            onChange={(e) => setScale(Number(e.target.value) / 100)}
          />
        </label>
        <output className="crop-dialog__size" aria-live="polite">
          {box.width} × {box.height} px ({guide.label}) at {box.x}, {box.y}
        </output>
      </div>

      <div className="crop-dialog__actions">
        <button type="button" className="button button--ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button button--primary" onClick={() => onApply(box, guide)}>
          Apply
        </button>
      </div>
    </>
  );
}
