import { get, set } from 'idb-keyval';
import { hydrateMotionBrush, startAutosave } from './persistence.ts';

/**
 * In the browser, the motion brush's draft lives in IndexedDB: read it once, then save after changes.
 * Started on first import (not on editor mount) so the composer can build fields or remix before the
 * editor is ever shown. Elsewhere (tests) nothing starts and the store counts as hydrated.
 */
let started = false;
export function bootMotionBrushPersistence(): void {
  if (started || typeof indexedDB === 'undefined') return;
  started = true;
  const storage = { get: (k: string) => get(k), set: (k: string, v: unknown) => set(k, v) };
  void hydrateMotionBrush(storage).then(() => startAutosave(storage));
}
bootMotionBrushPersistence();
