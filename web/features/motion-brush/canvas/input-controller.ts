import { displayToImage } from '../../../../contract/geometry/points.ts';
import type { Pt } from '../model/types.ts';
import { type Viewport, wheelZoomFactor, zoomAt } from '../model/viewport.ts';
import { beginStroke, commitPath, notify, type Stroke, setPathLive } from '../state/actions.ts';
import { useMotionBrushStore } from '../state/store.ts';
import { type BrushState, brushIdle, brushTool } from '../tools/brush-tool.ts';
import type { ToolEvent } from '../tools/events.ts';
import { type PanState, panIdle, panTool, pinch } from '../tools/pan-tool.ts';
import {
  previewPointCount,
  type TrajectoryState,
  trajectoryIdle,
  trajectoryTool,
} from '../tools/trajectory-tool.ts';
import type { StageController } from './stage-controller.ts';

/** Pick radius for path points, in screen pixels (a fingertip's worth on touch). */
const HIT_PX = { mouse: 9, pen: 9, touch: 18 } as const;

export interface InputDeps {
  host: HTMLElement;
  stage: StageController;
  viewport(): Viewport | null;
  setViewport(v: Viewport): void;
  minScale(): number;
  /** Pointer position in image pixels for the readout (null when off the image). */
  onPointer(p: Pt | null): void;
  /** Points a freehand path will keep, live while drawing (null otherwise). */
  onFreehandCount(n: number | null): void;
  /** Before any canvas gesture (stops the motion preview). */
  onGestureStart(): void;
}

type Mode = 'brush' | 'trajectory' | 'pan' | 'pinch' | null;

const store = () => useMotionBrushStore.getState();

/**
 * Native pointer events on the canvas host → tool state machines (tools/, pure) → effects on the store
 * and the stage. This class only translates events and carries out effects; it holds the transient
 * gesture state, which never belongs in the store.
 */
export class InputController {
  private mode: Mode = null;
  private brush: BrushState = brushIdle;
  private trajectory: TrajectoryState = trajectoryIdle;
  private pan: PanState = panIdle;
  private stroke: Stroke | null = null;
  private pathMask: string | null = null;
  private space = false;
  private readonly touches = new Map<number, Pt>();
  private pinchFrom: [Pt, Pt] | null = null;
  private pointerType: keyof typeof HIT_PX = 'mouse';

  constructor(private readonly d: () => InputDeps) {}

  /** True while a stroke or drag is in progress (undo waits for it). */
  get busy(): boolean {
    return this.mode !== null;
  }

  /** Space held: drag pans, whatever the tool. */
  setSpace(held: boolean): void {
    this.space = held;
    if (held) this.d().stage.setCursor(null);
  }

  /** Escape: abandon the gesture in progress. */
  cancel(): void {
    if (this.mode === 'pan') this.endPan();
    else if (this.mode === 'brush' || this.mode === 'trajectory') this.tool({ type: 'cancel' });
    this.mode = null;
  }

  /** Delete / Backspace: remove the last touched path point. */
  deletePoint(): void {
    if (this.mode !== null || store().tool !== 'trajectory') return;
    const sel = store().selectedId;
    if (!sel || sel !== this.pathMask) return;
    this.mode = 'trajectory';
    this.tool({ type: 'delete' });
  }

  // ── tools ────────────────────────────────────────────────────────────────────────────────────────

  private tool(e: ToolEvent): void {
    if (this.mode === 'brush') this.brushEvent(e);
    else if (this.mode === 'trajectory') this.trajectoryEvent(e);
  }

  private brushEvent(e: ToolEvent): void {
    const [next, fx] = brushTool(this.brush, e);
    this.brush = next;
    for (const f of fx) {
      if (f.type === 'begin') this.stroke = beginStroke(store().tool === 'eraser' ? 'erase' : 'paint', f.at);
      else if (f.type === 'segment') this.stroke?.segment(f.from, f.to);
      else {
        if (f.type === 'commit') this.stroke?.commit();
        else this.stroke?.revert();
        this.stroke = null;
      }
    }
    if (fx.length) this.d().stage.requestDraw({ masks: true });
    if (next.kind === 'idle') this.mode = null;
  }

  private trajectoryEvent(e: ToolEvent): void {
    const id = this.pathMask;
    const mask = store().masks.find((m) => m.id === id);
    const size = store().imageSize;
    if (!id || !mask || !size) {
      this.trajectory = trajectoryIdle;
      this.mode = null;
      return;
    }
    const d = this.d();
    const scale = d.viewport()?.scale ?? 1;
    const [next, fx] = trajectoryTool(this.trajectory, e, {
      path: mask.path,
      size,
      hitRadius: HIT_PX[this.pointerType] / scale,
    });
    this.trajectory = next;
    for (const f of fx) {
      if (f.type === 'preview') {
        d.stage.setFreehand(f.raw);
        d.onFreehandCount(f.raw.length ? previewPointCount(f.raw) : null);
      } else if (f.type === 'live') setPathLive(id, f.path);
      else if (f.type === 'commit') {
        commitPath(id, f.before, f.after);
        d.stage.setFreehand([]);
        d.onFreehandCount(null);
      } else notify(f.text);
    }
    if (next.kind === 'idle') this.mode = null;
  }

  // ── pointer events ───────────────────────────────────────────────────────────────────────────────

  private local(e: { clientX: number; clientY: number }): Pt {
    const r = this.d().host.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private toImage(p: Pt): Pt | null {
    const v = this.d().viewport();
    if (!v) return null;
    const q = displayToImage(p, v);
    return { x: q.x, y: q.y };
  }

  private trackCursor(e: PointerEvent): void {
    const d = this.d();
    const p = this.toImage(this.local(e));
    const size = store().imageSize;
    const over = !!p && !!size && p.x >= 0 && p.y >= 0 && p.x <= size.width && p.y <= size.height;
    d.onPointer(over ? p : null);
    const tool = store().tool;
    const show =
      (tool === 'brush' || tool === 'eraser') &&
      e.pointerType !== 'touch' &&
      !this.space &&
      this.mode !== 'pan';
    d.stage.setCursor(show ? p : null);
  }

  private endPan(): void {
    this.pan = panIdle;
    this.mode = null;
    delete this.d().host.dataset.panning;
  }

  readonly onDown = (e: PointerEvent): void => {
    const d = this.d();
    const v = d.viewport();
    if (!store().imageSize || !v) return;
    d.host.focus({ preventScroll: true });
    d.onGestureStart();
    const at = this.local(e);
    this.pointerType = e.pointerType === 'touch' || e.pointerType === 'pen' ? e.pointerType : 'mouse';
    if (e.pointerType === 'touch') {
      this.touches.set(e.pointerId, at);
      if (this.touches.size === 2) {
        // A second finger turns whatever the first one started into a pinch.
        this.cancel();
        this.mode = 'pinch';
        this.pinchFrom = [...this.touches.values()] as [Pt, Pt];
        return;
      }
      if (this.touches.size > 2) return;
    }
    // A mouse press while a gesture is open means its release was lost (e.g. outside the window without
    // capture): finish the old gesture first rather than leave the editor stuck in it.
    if (this.mode !== null && this.mode !== 'pinch' && e.pointerType === 'mouse') this.finish();
    if (this.mode !== null) return;
    const tool = store().tool;
    if (e.button === 2 && tool !== 'trajectory') return;
    e.preventDefault();
    d.host.setPointerCapture?.(e.pointerId);
    if (tool === 'hand' || this.space || e.button === 1) {
      this.mode = 'pan';
      this.pan = panTool(this.pan, { type: 'down', pointerId: e.pointerId, at }, v)[0];
      d.host.dataset.panning = 'true';
      d.stage.setCursor(null);
      return;
    }
    const p = this.toImage(at)!;
    const down: ToolEvent = { type: 'down', pointerId: e.pointerId, at: p, button: e.button, alt: e.altKey };
    if (tool === 'brush' || tool === 'eraser') {
      this.mode = 'brush';
      this.brushEvent(down);
      return;
    }
    const sel = store().masks.find((m) => m.id === store().selectedId);
    if (sel?.kind !== 'dynamic') {
      notify('Paths belong to dynamic masks: select one (keys 1–6) or add one');
      return;
    }
    if (this.pathMask !== sel.id) this.trajectory = trajectoryIdle;
    this.pathMask = sel.id;
    this.mode = 'trajectory';
    this.trajectoryEvent(down);
  };

  readonly onMove = (e: PointerEvent): void => {
    const d = this.d();
    if (e.pointerType === 'touch' && this.touches.has(e.pointerId))
      this.touches.set(e.pointerId, this.local(e));
    if (this.mode === 'pinch') {
      const v = d.viewport();
      if (this.touches.size === 2 && this.pinchFrom && v) {
        const now = [...this.touches.values()] as [Pt, Pt];
        d.setViewport(pinch(v, this.pinchFrom, now, d.minScale()));
        this.pinchFrom = now;
      }
      return;
    }
    this.trackCursor(e);
    if (this.mode === 'pan') {
      const v = d.viewport();
      if (!v) return;
      const [next, nv] = panTool(this.pan, { type: 'move', pointerId: e.pointerId, at: this.local(e) }, v);
      this.pan = next;
      if (nv !== v) d.setViewport(nv);
      return;
    }
    if (this.mode !== 'brush' && this.mode !== 'trajectory') return;
    // Coalesced events carry every sample the hardware reported since the last event: smooth strokes
    // even when the main thread is busy.
    const samples = e.getCoalescedEvents?.() ?? [];
    const points: Pt[] = [];
    for (const c of samples.length ? samples : [e]) {
      const p = this.toImage(this.local(c));
      if (p) points.push(p);
    }
    if (points.length) this.tool({ type: 'move', pointerId: e.pointerId, points });
  };

  readonly onUp = (e: PointerEvent): void => {
    const wasTouch = this.touches.delete(e.pointerId);
    if (this.mode === 'pinch') {
      if (this.touches.size < 2) {
        this.mode = null;
        this.pinchFrom = null;
      }
      return;
    }
    if (wasTouch && this.mode === null) return;
    if (this.mode === 'pan') {
      const v = this.d().viewport();
      if (v) this.pan = panTool(this.pan, { type: 'up', pointerId: e.pointerId }, v)[0];
      if (this.pan.kind === 'idle') this.endPan();
      return;
    }
    this.tool(e.type === 'pointercancel' ? { type: 'cancel' } : { type: 'up', pointerId: e.pointerId });
  };

  /** Ends whatever gesture is open as if its pointer had been released. */
  private finish(): void {
    if (this.mode === 'pan') this.endPan();
    else if (this.mode === 'brush' && this.brush.kind === 'painting')
      this.tool({ type: 'up', pointerId: this.brush.pointerId });
    else if (this.mode === 'trajectory' && this.trajectory.kind !== 'idle')
      this.tool({ type: 'up', pointerId: this.trajectory.pointerId });
    this.mode = null;
  }

  /** Capture lost without a pointerup (the element went away, the OS took the pointer): release. */
  readonly onLostCapture = (e: PointerEvent): void => {
    const id =
      this.mode === 'brush' && this.brush.kind === 'painting'
        ? this.brush.pointerId
        : this.mode === 'trajectory' && this.trajectory.kind !== 'idle'
          ? this.trajectory.pointerId
          : this.mode === 'pan' && this.pan.kind === 'panning'
            ? this.pan.pointerId
            : null;
    if (id === e.pointerId) this.finish();
  };

  readonly onLeave = (e: PointerEvent): void => {
    if (e.pointerType === 'touch') this.touches.delete(e.pointerId);
    if (this.mode !== null) return;
    this.d().stage.setCursor(null);
    this.d().onPointer(null);
  };

  readonly onWheel = (e: WheelEvent): void => {
    const d = this.d();
    const v = d.viewport();
    if (!v) return;
    // Also keeps Chromium from zooming the whole page on ctrl+wheel (a trackpad pinch).
    e.preventDefault();
    d.setViewport(zoomAt(v, wheelZoomFactor(e), this.local(e), d.minScale()));
  };
}

/** Wires an InputController to its host element's events; returns the detach function. */
export function attachInput(host: HTMLElement, c: InputController): () => void {
  const prevent = (e: Event) => e.preventDefault();
  const pairs: [string, EventListener, AddEventListenerOptions?][] = [
    ['pointerdown', c.onDown as EventListener],
    ['pointermove', c.onMove as EventListener],
    ['pointerup', c.onUp as EventListener],
    ['pointercancel', c.onUp as EventListener],
    ['lostpointercapture', c.onLostCapture as EventListener],
    ['pointerleave', c.onLeave as EventListener],
    ['wheel', c.onWheel as EventListener, { passive: false }],
    ['contextmenu', prevent],
  ];
  for (const [type, fn, opts] of pairs) host.addEventListener(type, fn, opts);
  return () => {
    for (const [type, fn] of pairs) host.removeEventListener(type, fn);
  };
}
