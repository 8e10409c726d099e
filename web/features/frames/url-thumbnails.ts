import { useSyncExternalStore } from 'react';

/**
 * The studio's thumbnails of image URLs, by URL, for this page's life: a URL frame's preview (the browser
 * never loads the creator's host). Not persisted: after a reload the picker asks the studio again.
 */
const MAX_KEPT = 24;
const thumbnails = new Map<string, string>();
const listeners = new Set<() => void>();

export function rememberThumbnail(url: string, dataUrl: string) {
  thumbnails.delete(url);
  thumbnails.set(url, dataUrl);
  // Oldest first in a Map: drop from the front.
  for (const old of thumbnails.keys()) {
    if (thumbnails.size <= MAX_KEPT) break;
    thumbnails.delete(old);
  }
  for (const l of listeners) l();
}

export const thumbnailOf = (url: string): string | undefined => thumbnails.get(url);

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useThumbnail(url: string | null): string | undefined {
  return useSyncExternalStore(subscribe, () => (url ? thumbnails.get(url) : undefined));
}
