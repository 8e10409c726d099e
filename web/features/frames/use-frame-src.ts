import { useMemo } from 'react';
import type { Frame } from '../../editor/draft-types.ts';

const MIME = { png: 'image/png', jpeg: 'image/jpeg' } as Record<string, string>;

/**
 * Something an <img> (or Konva) can show for a frame. A data URL rather than an object URL: nothing to
 * revoke, and the browser decodes the base64 natively instead of us copying megabytes in JS.
 */
export function frameSrc(frame: Frame): string {
  if (frame.source === 'url') return frame.url;
  return `data:${MIME[frame.facts.format] ?? 'application/octet-stream'};base64,${frame.base64}`;
}

export function useFrameSrc(frame: Frame | null): string | null {
  // Keyed by id: a frame's bytes never change, so the (large) string is built once per frame.
  // biome-ignore lint/correctness/useExhaustiveDependencies: frame.id identifies the bytes
  return useMemo(() => (frame ? frameSrc(frame) : null), [frame?.id]);
}
