import { useState } from 'react';

/** The start frame's thumbnail; a neutral tile when there is none or it fails to load. */
export function TaskThumbnail({ url, size = 'small' }: { url: string | null; size?: 'small' | 'large' }) {
  const [broken, setBroken] = useState(false);
  const className = `tasks-thumb tasks-thumb-${size}`;
  // Decorative: the row's text already says what the task is.
  if (!url || broken) return <div className={className} aria-hidden="true" />;
  return <img className={className} src={url} alt="" loading="lazy" onError={() => setBroken(true)} />;
}
