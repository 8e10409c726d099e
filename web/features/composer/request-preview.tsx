import { useEffect, useState } from 'react';
import type { MotionBrushFields } from '../../../contract/schemas/create-request.ts';
import type { Draft } from '../../editor/draft-types.ts';
import { toCreateRequest } from '../../editor/to-create-request.ts';
import { toMotionControlRequest } from '../../editor/to-motion-control-request.ts';
import { curlFor, elideImages, elideMotionControlImage } from './request-text.ts';

interface RequestPreviewProps {
  draft: Draft;
  buildBrushFields?: () => Promise<MotionBrushFields>;
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** "Request JSON": exactly what Generate sends (images elided), and "Copy as curl" with the real body. */
export function RequestPreview({ draft, buildBrushFields }: RequestPreviewProps) {
  const [open, setOpen] = useState(false);
  const [brush, setBrush] = useState<MotionBrushFields | undefined>();
  const [copied, setCopied] = useState<string | null>(null);
  const needsBrush = draft.motionTab === 'brush' && !!buildBrushFields;
  const motionControl = draft.motionTab === 'reference';
  const path = motionControl ? '/api/motion-control' : '/api/tasks';

  // Masks are rendered only when someone looks: building PNGs on every keystroke would be wasteful.
  useEffect(() => {
    if (!open || !needsBrush) return;
    let live = true;
    buildBrushFields!()
      .then((f) => live && setBrush(f))
      .catch(() => live && setBrush(undefined));
    return () => {
      live = false;
    };
  }, [open, needsBrush, buildBrushFields]);

  // Built only while the view is open: nobody reads it otherwise.
  const text = !open
    ? ''
    : JSON.stringify(
        motionControl
          ? elideMotionControlImage(toMotionControlRequest(draft))
          : elideImages(toCreateRequest(draft, needsBrush ? brush : undefined)),
        null,
        2,
      );

  async function onCopyCurl() {
    const full = motionControl
      ? toMotionControlRequest(draft)
      : toCreateRequest(draft, needsBrush ? await buildBrushFields!() : undefined);
    const ok = await copyText(curlFor(full, window.location.origin, path));
    setCopied(ok ? 'curl command copied (images included in full)' : 'The browser refused the clipboard.');
  }

  return (
    <details className="card request-preview" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="request-preview__summary">Request JSON</summary>
      <p className="field__hint">
        The body of <code>POST {path}</code>, which the studio forwards to Kling
        {motionControl ? ' (the upload becomes a signed URL of its own)' : ' unchanged'}. Images are elided
        here.
      </p>
      <pre className="code" data-testid="request-json">
        {text}
      </pre>
      <div className="field__row">
        <button type="button" className="button" onClick={() => void onCopyCurl()}>
          Copy as curl
        </button>
        <span className="field__hint" aria-live="polite">
          {copied ?? 'The token stays out: the command reads $APP_TOKEN from your shell.'}
        </span>
      </div>
    </details>
  );
}
