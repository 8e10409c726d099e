/**
 * Whether this browser may hold a stored draft, known before IndexedDB answers: a first visit (a demo, a
 * newcomer) has nothing to wait for, so the studio shows the composer at once instead of a skeleton.
 * Only a hint: a stale "yes" costs the skeleton as before; a missing one (a draft stored before the hint
 * existed) shows the new draft's defaults for the moment the stored draft takes to load.
 */
const KEY = 'motion-studio:has-draft';

export function isFirstVisit(
  storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage,
): boolean {
  try {
    return !!storage && storage.getItem(KEY) === null;
  } catch {
    // Storage refused (a locked-down profile): take the safe path and wait for the stored draft.
    return false;
  }
}

export function rememberDraft(storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(KEY, '1');
  } catch {
    // Nothing to do: the next visit waits for IndexedDB, as it always could.
  }
}
