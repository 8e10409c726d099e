import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Size } from '../model/types.ts';
import { fitView, MIN_ZOOM_OF_FIT, type Viewport, zoomAt } from '../model/viewport.ts';

/**
 * The editor's viewport: fitted to the box until the creator zooms or pans, then theirs until "Fit"
 * (a resized box or a new frame re-fits only while it is still fitted). `current()` reads it without
 * a render, for the input controller's pointer handlers.
 */
export function useViewport(size: Size | null, box: Size | null) {
  const [viewport, setViewportState] = useState<Viewport | null>(null);
  const viewRef = useRef<Viewport | null>(null);
  const fitted = useRef(true);
  const fitNow = useMemo(() => (size && box ? fitView(size, box) : null), [size, box]);
  const apply = useCallback((v: Viewport) => {
    viewRef.current = v;
    setViewportState(v);
  }, []);
  /** The creator's own zoom or pan: from now on the box no longer re-fits it. */
  const setViewport = useCallback(
    (v: Viewport) => {
      fitted.current = false;
      apply(v);
    },
    [apply],
  );
  useLayoutEffect(() => {
    if (fitNow && (fitted.current || !viewRef.current)) apply(fitNow);
  }, [fitNow, apply]);
  const minScale = useCallback(() => (fitNow?.scale ?? 1) * MIN_ZOOM_OF_FIT, [fitNow]);
  const current = useCallback(() => viewRef.current, []);
  /** Zooms about the box's centre (the toolbar's buttons). */
  const zoomBy = (factor: number) => {
    if (viewport && box)
      setViewport(zoomAt(viewport, factor, { x: box.width / 2, y: box.height / 2 }, minScale()));
  };
  const fit = () => {
    fitted.current = true;
    if (fitNow) apply(fitNow);
  };
  return { viewport, current, setViewport, minScale, zoomBy, fit };
}
