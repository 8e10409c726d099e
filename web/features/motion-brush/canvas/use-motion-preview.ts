import { useCallback, useEffect, useRef, useState } from 'react';
import { previewOffsets, previewProgress } from '../model/preview.ts';
import type { Size } from '../model/types.ts';
import { notify } from '../state/actions.ts';
import { getBitmap } from '../state/bitmaps.ts';
import { useMotionBrushStore } from '../state/store.ts';
import { mirrorOf } from './mask-mirror.ts';
import type { PreviewCutout } from './mask-stage.tsx';
import type { StageController } from './stage-controller.ts';

/** Cut-outs are made at most this many pixels a side: plenty for a preview, cheap on a 4096² frame. */
const CUTOUT_MAX_SIDE = 2048;

function cutout(frame: HTMLImageElement, mask: HTMLCanvasElement, size: Size): HTMLCanvasElement | null {
  const k = Math.min(1, CUTOUT_MAX_SIDE / Math.max(size.width, size.height));
  const c = document.createElement('canvas');
  c.width = Math.max(1, Math.round(size.width * k));
  c.height = Math.max(1, Math.round(size.height * k));
  const ctx = c.getContext('2d');
  if (!ctx) return null;
  ctx.drawImage(frame, 0, 0, c.width, c.height);
  ctx.globalCompositeOperation = 'destination-in';
  ctx.drawImage(mask, 0, 0, c.width, c.height);
  return c;
}

export interface MotionPreview {
  playing: boolean;
  cutouts: PreviewCutout[] | null;
  toggle(): void;
  stop(): void;
}

/**
 * "Preview motion": for the chosen duration, each dynamic region — the frame's pixels under its mask —
 * moves along its path (evenly by arc length, as the simulator renders it) while the rest of the frame,
 * and the static region, stay put. Positions are set on the Konva nodes each frame, outside React.
 */
export function useMotionPreview(
  stage: StageController,
  frame: HTMLImageElement | null,
  seconds: number,
  onProgress: (elapsed: number | null) => void,
): MotionPreview {
  const [cutouts, setCutouts] = useState<PreviewCutout[] | null>(null);
  const raf = useRef(0);
  const progress = useRef(onProgress);
  progress.current = onProgress;

  const stop = useCallback(() => {
    cancelAnimationFrame(raf.current);
    raf.current = 0;
    setCutouts(null);
    progress.current(null);
  }, []);

  const start = useCallback(() => {
    const { masks, imageSize } = useMotionBrushStore.getState();
    if (!frame || !imageSize) return;
    const moving = previewOffsets(masks, 0).map((o) => o.id);
    const cuts: PreviewCutout[] = [];
    for (const id of moving) {
      const m = masks.find((x) => x.id === id)!;
      const b = getBitmap(id);
      const mirror = b && mirrorOf(b, m);
      const c = mirror && cutout(frame, mirror, imageSize);
      if (c) cuts.push({ id, canvas: c });
    }
    if (!cuts.length) {
      notify('Nothing to preview yet: paint a dynamic mask and draw its path');
      return;
    }
    setCutouts(cuts);
    const t0 = performance.now();
    const tick = () => {
      const elapsed = performance.now() - t0;
      const t = previewProgress(elapsed, seconds);
      for (const o of previewOffsets(useMotionBrushStore.getState().masks, t))
        stage.previewNodes.get(o.id)?.position(o.offset);
      stage.requestDraw({ masks: true });
      progress.current(Math.min(elapsed / 1000, seconds));
      // Hold the last frame a moment so the end position is visible, then return to editing.
      if (elapsed < seconds * 1000 + 600) raf.current = requestAnimationFrame(tick);
      else stop();
    };
    raf.current = requestAnimationFrame(tick);
  }, [frame, seconds, stage, stop]);

  useEffect(() => () => cancelAnimationFrame(raf.current), []);

  return {
    playing: cutouts !== null,
    cutouts,
    toggle: () => (cutouts ? stop() : start()),
    stop,
  };
}
