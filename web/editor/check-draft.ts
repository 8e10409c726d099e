import { validateMotionControl } from '../../contract/rules/validate-motion-control.ts';
import { validateRequest } from '../../contract/rules/validate-request.ts';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import type { MotionControlRequest } from '../../contract/schemas/motion-control-request.ts';
import type { Violation } from '../../contract/schemas/studio-api.ts';
import type { Draft, Frame } from './draft-types.ts';
import { draftFacts, toCreateRequest } from './to-create-request.ts';
import { motionControlFacts, toMotionControlRequest } from './to-motion-control-request.ts';

/**
 * Stands in for the masks while the creator is still painting: the masks are only rendered to PNG at
 * submit, but whether the model takes a motion brush at all must be known now. An http URL carries no
 * facts, so the contract checks only the feature itself.
 */
const MASK_PLACEHOLDER = 'https://motion-brush.invalid/mask.png';

function standIn(f: Frame | null): Frame | null {
  return f?.source === 'file' ? { ...f, base64: 'AAAA' } : f;
}

/** The request as it stands, and every reason the backend would refuse it, in the contract's words. */
export type DraftCheck =
  | {
      kind: 'image2video';
      /** Masks are added at submit by the motion brush. */
      request: CreateRequest;
      violations: Violation[];
    }
  | { kind: 'motion-control'; request: MotionControlRequest; violations: Violation[] };

/**
 * The same rules the backend applies, strict keys: validateRequest for the image-to-video tabs (plus what
 * the motion brush reports about its own masks and paths), validateMotionControl for the Reference video
 * tab (plus what that tab reports while its clip uploads).
 */
export function checkDraft(
  d: Draft,
  brushViolations: readonly Violation[] = [],
  referenceViolations: readonly Violation[] = [],
  /** The models the studio serves as retired (RETIRED_MODELS): refused here, before anything is sent. */
  retiredModels: readonly string[] = [],
): DraftCheck {
  if (d.motionTab === 'reference') return checkMotionControlDraft(d, referenceViolations, retiredModels);
  const request = toCreateRequest(d);
  // File frames are base64 we encoded ourselves and their facts are known, so a tiny stand-in keeps
  // the contract from re-scanning megabytes on every keystroke; the verdict and messages are the same.
  const light: Draft = { ...d, frames: { start: standIn(d.frames.start), end: standIn(d.frames.end) } };
  const probe = toCreateRequest(
    light,
    d.motionTab === 'brush' ? { static_mask: MASK_PLACEHOLDER } : undefined,
  );
  const { violations } = validateRequest(probe, { strictKeys: true, facts: draftFacts(d), retiredModels });
  const own =
    d.motionTab === 'brush'
      ? violations.filter(
          (v) =>
            v.field !== 'static_mask' || v.rule === 'feature_unsupported' || v.rule === 'exclusive_features',
        )
      : violations;
  return {
    kind: 'image2video',
    request,
    violations: [...own, ...(d.motionTab === 'brush' ? brushViolations : [])],
  };
}

/**
 * The Reference video tab against the studio's motion-control rules (audience `studio`: `video_url` is
 * the upload's ref). `pending` is the tab's own word on a clip still uploading or refused by the upload:
 * it replaces the contract's "a reference video is required", which would not be the whole truth then.
 */
function checkMotionControlDraft(
  d: Draft,
  pending: readonly Violation[],
  retiredModels: readonly string[],
): DraftCheck {
  const request = toMotionControlRequest(d);
  const light = toMotionControlRequest({ ...d, frames: { ...d.frames, start: standIn(d.frames.start) } });
  // No picture yet: the field is left out, so the contract says it is required (not "the file is empty").
  const probe: Partial<MotionControlRequest> = { ...light };
  if (!d.frames.start) delete probe.image_url;
  const { violations } = validateMotionControl(probe, {
    strictKeys: true,
    audience: 'studio',
    facts: motionControlFacts(d),
    retiredModels,
  });
  const replaced = pending.some((v) => v.field === 'video_url');
  const own = replaced
    ? violations.filter((v) => !(v.field === 'video_url' && v.rule === 'video_required'))
    : violations;
  return { kind: 'motion-control', request, violations: [...own, ...pending] };
}
