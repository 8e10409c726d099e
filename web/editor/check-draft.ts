import { validateRequest } from '../../contract/rules/validate-request.ts';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import type { Violation } from '../../contract/schemas/studio-api.ts';
import type { Draft, Frame } from './draft-types.ts';
import { draftFacts, toCreateRequest } from './to-create-request.ts';

/**
 * Stands in for the masks while the creator is still painting: the masks are only rendered to PNG at
 * submit, but whether the model takes a motion brush at all must be known now. An http URL carries no
 * facts, so the contract checks only the feature itself.
 */
const MASK_PLACEHOLDER = 'https://motion-brush.invalid/mask.png';

function standIn(f: Frame | null): Frame | null {
  return f?.source === 'file' ? { ...f, base64: 'AAAA' } : f;
}

export interface DraftCheck {
  /** The request as it stands (masks are added at submit by the motion brush). */
  request: CreateRequest;
  /** Every reason the backend would refuse it, in the contract's words. */
  violations: Violation[];
}

/**
 * The same rules the backend applies (contract validateRequest, strict keys), plus whatever the motion
 * brush reports about its own masks and paths.
 */
export function checkDraft(d: Draft, brushViolations: readonly Violation[] = []): DraftCheck {
  const request = toCreateRequest(d);
  // File frames are base64 we encoded ourselves and their facts are known, so a tiny stand-in keeps
  // the contract from re-scanning megabytes on every keystroke; the verdict and messages are the same.
  const light: Draft = { ...d, frames: { start: standIn(d.frames.start), end: standIn(d.frames.end) } };
  const probe = toCreateRequest(
    light,
    d.motionTab === 'brush' ? { static_mask: MASK_PLACEHOLDER } : undefined,
  );
  const { violations } = validateRequest(probe, { strictKeys: true, facts: draftFacts(d) });
  const own =
    d.motionTab === 'brush'
      ? violations.filter(
          (v) =>
            v.field !== 'static_mask' || v.rule === 'feature_unsupported' || v.rule === 'exclusive_features',
        )
      : violations;
  return { request, violations: [...own, ...(d.motionTab === 'brush' ? brushViolations : [])] };
}
