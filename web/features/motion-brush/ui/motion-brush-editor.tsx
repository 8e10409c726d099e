import { useEffect, useMemo, useRef, useState } from 'react';
import { imageToApi } from '../../../../contract/geometry/points.ts';
import { attachInput, InputController, type InputDeps } from '../canvas/input-controller.ts';
import { MaskStage } from '../canvas/mask-stage.tsx';
import { StageController } from '../canvas/stage-controller.ts';
import { useBoxSize } from '../canvas/use-box-size.ts';
import { useHtmlImage } from '../canvas/use-html-image.ts';
import { useMotionPreview } from '../canvas/use-motion-preview.ts';
import { brushMaxFor } from '../model/brush-size.ts';
import type { Pt, Size } from '../model/types.ts';
import { ZOOM_STEP } from '../model/viewport.ts';
import { setImageSize } from '../state/actions.ts';
import { useMotionBrushStore } from '../state/store.ts';
import { ChecksPanel } from './checks-panel.tsx';
import { MaskList } from './mask-list.tsx';
import { PathPanel } from './path-panel.tsx';
import { RecipeButtons } from './recipe-buttons.tsx';
import { Toolbar } from './toolbar.tsx';
import { useEditorShortcuts } from './use-editor-shortcuts.ts';
import { useViewport } from './use-viewport.ts';
import '../motion-brush.css';

export interface MotionBrushEditorProps {
  /** The start frame: its URL and native size (masks and paths are stored at that size). */
  image: { src: string; width: number; height: number } | null;
  /** Length of the motion preview, as the request's duration. */
  duration?: string;
  /** Host settings to put in an exported recipe. */
  recipeSettings?: () => unknown;
  /** Receives an imported recipe's settings. */
  onRecipeSettings?: (settings: unknown) => void;
}

// Pending (a change waiting for the debounce) and saving read alike: either way it is not stored yet.
const SAVE_TEXT = {
  saved: 'Masks saved',
  pending: 'Saving masks…',
  saving: 'Saving masks…',
  failed: 'Masks could not be saved',
};

/**
 * The motion brush: paint a static mask and up to six dynamic masks over the start frame, draw each
 * dynamic mask's path, preview the motion. A thin composition: tools are state machines (tools/),
 * edits go through state/actions.ts, pixels live in native-size bitmaps, Konva only displays.
 */
export function MotionBrushEditor({
  image,
  duration = '5',
  recipeSettings,
  onRecipeSettings,
}: MotionBrushEditorProps) {
  const hydrated = useMotionBrushStore((s) => s.hydrated);
  const masks = useMotionBrushStore((s) => s.masks);
  const selectedId = useMotionBrushStore((s) => s.selectedId);
  const tool = useMotionBrushStore((s) => s.tool);
  const brushSize = useMotionBrushStore((s) => s.brushSize);
  const pixels = useMotionBrushStore((s) => s.pixels);
  const notice = useMotionBrushStore((s) => s.notice);
  const save = useMotionBrushStore((s) => s.save);
  const storedSize = useMotionBrushStore((s) => s.imageSize);

  const width = image?.width ?? 0;
  const height = image?.height ?? 0;
  const size: Size | null = useMemo(() => (width && height ? { width, height } : null), [width, height]);
  useEffect(() => {
    if (hydrated && size) setImageSize(size);
  }, [hydrated, size]);
  const ready =
    hydrated &&
    !!size &&
    !!storedSize &&
    storedSize.width === size.width &&
    storedSize.height === size.height;

  const host = useRef<HTMLDivElement>(null);
  const box = useBoxSize(host);
  const frame = useHtmlImage(image?.src ?? null);
  const stage = useMemo(() => new StageController(), []);
  useEffect(() => () => stage.dispose(), [stage]);

  const { viewport, current: currentViewport, setViewport, minScale, zoomBy, fit } = useViewport(size, box);

  const readout = useRef<HTMLOutputElement>(null);
  const progress = useRef<HTMLSpanElement>(null);
  const [freehandCount, setFreehandCount] = useState<number | null>(null);
  const seconds = Number(duration);
  const preview = useMotionPreview(stage, frame, seconds, (elapsed) => {
    if (progress.current)
      progress.current.textContent = elapsed === null ? '' : `${elapsed.toFixed(1)} s / ${seconds} s`;
  });

  const deps = useRef<InputDeps | null>(null);
  deps.current = {
    get host() {
      return host.current!;
    },
    stage,
    viewport: currentViewport,
    setViewport,
    minScale,
    onPointer: (p: Pt | null) => {
      const s = useMotionBrushStore.getState().imageSize;
      if (!readout.current) return;
      if (!p || !s) readout.current.textContent = '—';
      else {
        const a = imageToApi(p, s);
        readout.current.textContent = `x ${a.x}, y ${a.y}`;
      }
    },
    onFreehandCount: setFreehandCount,
    onGestureStart: () => preview.stop(),
  };
  const input = useMemo(() => new InputController(() => deps.current!), []);
  useEffect(() => (host.current ? attachInput(host.current, input) : undefined), [input]);

  // Pixels changed outside a stroke (undo, clear, load): copy them to the display and redraw.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `pixels` is the bitmaps' change counter
  useEffect(() => {
    stage.requestDraw({ masks: true, overlay: true });
  }, [pixels, masks, stage]);

  const root = useRef<HTMLDivElement>(null);
  useEditorShortcuts({ enabled: ready, input, preview, host, root });

  const canPreview = masks.some((m) => m.kind === 'dynamic' && m.painted && m.path.length >= 2);
  const maxBrush = brushMaxFor(size);

  return (
    <div
      ref={root}
      className="mb-editor"
      role="application"
      aria-label="Mask editor"
      aria-roledescription="motion brush editor"
    >
      <div className="mb-bar">
        <Toolbar disabled={!ready} maxBrush={maxBrush} busy={() => input.busy} />
        <div className="mb-group">
          <button
            type="button"
            className="button button--ghost"
            disabled={!ready}
            onClick={() => zoomBy(1 / ZOOM_STEP)}
          >
            Zoom out
          </button>
          <span className="mb-mono mb-zoom" title="Display scale (stored masks are unaffected)">
            {viewport ? `${Math.round(viewport.scale * 100)}%` : '—'}
          </span>
          <button
            type="button"
            className="button button--ghost"
            disabled={!ready}
            onClick={() => zoomBy(ZOOM_STEP)}
          >
            Zoom in
          </button>
          <button type="button" className="button button--ghost" disabled={!ready} onClick={fit}>
            Fit
          </button>
        </div>
        <div className="mb-group">
          <button
            type="button"
            className="button button--primary"
            aria-pressed={preview.playing}
            disabled={!ready || (!canPreview && !preview.playing)}
            title={
              canPreview
                ? `Play ${seconds} s of motion on the canvas`
                : 'Paint a dynamic mask and draw its path first'
            }
            onClick={preview.toggle}
          >
            Preview motion
          </button>
          <span ref={progress} className="mb-mono mb-small" aria-live="off" />
        </div>
      </div>
      <div className="mb-body">
        <div
          ref={host}
          className={`mb-canvas mb-canvas--${tool}`}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users focus the canvas for Space-pan and shortcuts
          tabIndex={0}
          data-scale={viewport?.scale}
          data-offset-x={viewport?.offsetX}
          data-offset-y={viewport?.offsetY}
          data-image-width={size?.width}
          data-image-height={size?.height}
          data-ready={ready ? 'true' : 'false'}
        >
          {ready && box && viewport && size && (
            <MaskStage
              controller={stage}
              box={box}
              frame={frame}
              imageSize={size}
              viewport={viewport}
              masks={masks}
              selectedId={selectedId}
              tool={tool}
              brushSize={brushSize}
              cutouts={preview.cutouts}
            />
          )}
          {!image && <p className="mb-empty">Add a start frame first: masks and paths are drawn over it.</p>}
          {image && !hydrated && <p className="mb-empty">Loading saved masks…</p>}
        </div>
        <aside className="mb-panel">
          <MaskList disabled={!ready} />
          <PathPanel freehandCount={freehandCount} readoutRef={readout} />
          <ChecksPanel />
          <RecipeButtons disabled={!ready} settings={recipeSettings} onSettings={onRecipeSettings} />
          <p className="mb-status muted mb-small" role="status">
            {SAVE_TEXT[save]}
          </p>
        </aside>
      </div>
      <p className="mb-notice" aria-live="polite">
        {notice}
      </p>
    </div>
  );
}
