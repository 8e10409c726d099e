import { del, get } from 'idb-keyval';
import { adoptLegacyDraft, type DraftStorage, hydrateMotionBrush, startAutosave } from './persistence.ts';

/**
 * In the browser, the motion brush's draft lives in the studio's IndexedDB key-value store (the one the
 * editor's draft uses, given by the host): read it once, then save after changes. The host calls this at
 * start-up, not on editor mount, so the composer can build fields or remix before the editor is ever
 * shown. Elsewhere (tests) nothing starts and the store counts as hydrated.
 */
let started = false;
export function bootMotionBrushPersistence(storage: DraftStorage): void {
  if (started || typeof indexedDB === 'undefined') return;
  started = true;
  // Drafts saved before the brush shared the studio's store sit in idb-keyval's default database.
  const legacy = { get: (k: string) => get(k), del: (k: string) => del(k) };
  void adoptLegacyDraft(storage, legacy)
    .catch(() => undefined)
    .then(() => hydrateMotionBrush(storage))
    .then(() => startAutosave(storage));
}
