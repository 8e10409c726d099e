import { useState } from 'react';
import { LIMITS } from '../../../contract/limits.ts';
import { formatBytes } from '../../components/format.ts';
import { CropDialog } from './crop-dialog.tsx';
import { FIX_LABEL, type FixKind, fixesFor } from './fixes/fix-offers.ts';
import { compressPicture, cropPicture, upscalePicture } from './fixes/picture-ops.ts';
import type { FixOutcome, Refusal } from './use-frame-ingest.ts';

type Mime = 'image/png' | 'image/jpeg';

interface FrameFixesProps {
  refusal: Refusal;
  /** "start picture" / "end picture". */
  what: string;
  busy: boolean;
  fix: (name: string, busy: string, make: () => Promise<FixOutcome>) => Promise<void>;
}

const MAX_MB = LIMITS.imageMaxBytes / (1024 * 1024);

/** What each button does, as its description (the name stays exactly the design's). */
const HINT: Record<FixKind, string> = {
  crop: 'Keep a part of the picture in a shape Kling takes',
  upscale: `Enlarge the picture to ${LIMITS.imageMinSide} px on its short side`,
  compress: `Save the picture as a JPEG under ${MAX_MB} MB, at the best quality that fits`,
};

const sizeText = (f: { width: number; height: number }) => `${f.width} × ${f.height} px`;

/** The one-click fixes beside a refusal: Crop to fit, Upscale, Compress — those its rules call for. */
export function FrameFixes({ refusal, what, busy, fix }: FrameFixesProps) {
  const [cropping, setCropping] = useState(false);
  const picture = refusal.picture;
  const kinds = picture ? fixesFor(refusal.violations) : [];
  if (!picture || kinds.length === 0) return null;
  // By content: PNG bytes named .jpg stay a PNG.
  const mime: Mime | undefined =
    refusal.facts?.format === 'png'
      ? 'image/png'
      : refusal.facts?.format === 'jpeg'
        ? 'image/jpeg'
        : undefined;

  function run(kind: FixKind) {
    if (!picture) return;
    if (kind === 'crop') return setCropping(true);
    if (kind === 'upscale')
      return fix('upscale', 'Upscaling…', async () => ({
        file: await upscalePicture(picture, mime),
        says: (f) => `Upscaled the ${what} to ${sizeText(f)}.`,
      }));
    return fix('compress', 'Compressing…', async () => {
      const c = await compressPicture(picture);
      const scaled = c.scale < 1 ? `, scaled to ${sizeText(c.size)}` : '';
      return {
        file: c.file,
        says: (f) =>
          `Compressed the ${what} to a JPEG at quality ${Math.round(c.quality * 100)}${scaled}: ${formatBytes(picture.size)} → ${formatBytes(f.bytes)}.`,
      };
    });
  }

  return (
    <div className="frame-fixes">
      <span className="frame-fixes__lead">Fix it here:</span>
      {kinds.map((kind) => (
        <button
          key={kind}
          type="button"
          className="button button--small"
          title={HINT[kind]}
          disabled={busy}
          onClick={() => run(kind)}
        >
          {FIX_LABEL[kind]}
        </button>
      ))}
      {cropping && (
        <CropDialog
          picture={picture}
          what={what}
          onCancel={() => setCropping(false)}
          onApply={(box, guide) => {
            setCropping(false);
            void fix('crop', 'Cropping…', async () => ({
              file: await cropPicture(picture, box, mime),
              says: (f) => `Cropped the ${what} to ${guide.label}: ${sizeText(f)}.`,
            }));
          }}
        />
      )}
    </div>
  );
}
