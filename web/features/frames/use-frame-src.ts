import { useMemo } from 'react';
import type { Frame } from '../../editor/draft-types.ts';
import { useThumbnail } from './url-thumbnails.ts';

const MIME = { png: 'image/png', jpeg: 'image/jpeg' } as Record<string, string>;

/**
 * Something an <img> (or Konva) can show for a file frame. A data URL rather than an object URL: nothing
 * to revoke, and the browser decodes the base64 natively instead of us copying megabytes in JS.
 */
function fileFrameSrc(frame: Extract<Frame, { source: 'file' }>): string {
  return `data:${MIME[frame.facts.format] ?? 'application/octet-stream'};base64,${frame.base64}`;
}

/**
 * What shows a frame: a file frame's own bytes, a URL frame's thumbnail from the studio (null until the
 * studio has checked it: the page never loads an arbitrary host, and its CSP would refuse to).
 */
export function useFrameSrc(frame: Frame | null): string | null {
  const thumbnail = useThumbnail(frame?.source === 'url' ? frame.url : null);
  // Keyed by id: a frame's bytes never change, so the (large) string is built once per frame.
  // biome-ignore lint/correctness/useExhaustiveDependencies: frame.id identifies the bytes
  const fileSrc = useMemo(() => (frame?.source === 'file' ? fileFrameSrc(frame) : null), [frame?.id]);
  if (!frame) return null;
  return frame.source === 'url' ? (thumbnail ?? null) : fileSrc;
}
