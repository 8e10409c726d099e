import type { Violation } from '../../contract/schemas/studio-api.ts';
import type { MotionBrushFields } from '../editor/to-create-request.ts';

/** The start frame as the motion brush sees it: native pixel size, so masks match it exactly. */
export interface BrushImage {
  src: string;
  width: number;
  height: number;
}

export interface MotionBrushPort {
  /** Masks and paths as request fields, rendered at the start frame's native size. */
  build?: () => Promise<MotionBrushFields>;
  /** Problems with the masks and paths as they stand (empty mask, too few points…). */
  violations: Violation[];
}

/**
 * PLACEHOLDER until web/features/motion-brush/ exports MotionBrushEditor, buildMotionBrushFields and
 * motionBrushViolations (the motion-brush helper's issue). Then this file wires them in.
 */
export function useMotionBrushPort(_image: BrushImage | null): MotionBrushPort {
  return { build: undefined, violations: [] };
}

export function MotionBrushSlot({ image }: { image: BrushImage | null }) {
  return (
    <div className="placeholder" role="note">
      <p>
        <strong>Motion brush editor — coming with its own feature.</strong>
      </p>
      <p className="muted">
        {image
          ? `It will paint masks and draw paths over the ${image.width}×${image.height} start frame.`
          : 'Add a start frame first: masks and paths are drawn over it.'}
      </p>
    </div>
  );
}
