import type { CSSProperties } from 'react';
import type { CameraType } from '../../../contract/capabilities/matrix.ts';
import type { CameraConfig } from '../../../contract/schemas/create-request.ts';
import { configFor, describeCameraMove, previewTransforms } from './camera-motion.ts';

interface CameraPreviewProps {
  type: CameraType;
  config: CameraConfig;
  image: { src: string; width: number; height: number } | null;
}

/**
 * A looping sketch of the move over the start frame: a CSS animation between the move's first and last
 * pose (custom properties, so changing a slider retargets it without remounting). Respects
 * prefers-reduced-motion by showing the end pose still.
 */
export function CameraPreview({ type, config, image }: CameraPreviewProps) {
  const aspect = image && image.height > 0 ? image.width / image.height : 16 / 9;
  const { from, to } = previewTransforms(configFor(type, config), aspect);
  const style = { '--cam-from': from, '--cam-to': to, aspectRatio: `${aspect}` } as CSSProperties;
  return (
    <figure className="cam-preview">
      <div className="cam-preview__frame" style={style}>
        {image ? (
          <img className="cam-preview__img" src={image.src} alt="" draggable={false} />
        ) : (
          <div className="cam-preview__img cam-preview__placeholder" aria-hidden="true" />
        )}
        <div className="cam-preview__thirds" aria-hidden="true" />
      </div>
      <figcaption className="cam-preview__caption" aria-live="polite">
        <span className="cam-preview__badge">Preview</span> {describeCameraMove(type, config)}
        {!image && <span className="muted"> — add a start frame to preview over it</span>}
      </figcaption>
    </figure>
  );
}
