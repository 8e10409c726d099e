import { type ReactNode, useEffect, useState } from 'react';

/**
 * Mounts `children` one frame after the first paint: parts of the studio nobody needs in the first second
 * (the task gallery, Request JSON) stay out of the render that puts the composer on screen.
 */
export function AfterPaint({ children, fallback = null }: { children: ReactNode; fallback?: ReactNode }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (typeof requestAnimationFrame === 'undefined') return setReady(true);
    const id = requestAnimationFrame(() => setReady(true));
    return () => cancelAnimationFrame(id);
  }, []);
  return ready ? children : fallback;
}
