import { fieldLabel } from '../../../contract/rules/field-labels.ts';
import type { Violation } from '../../../contract/schemas/studio-api.ts';

/** The request field the clip becomes; every message about it leads with its label. */
export const CLIP_FIELD = 'video_url';

/** A message about the clip in the contract's manner: the field's label first. */
export const clipMessage = (rule: string, text: string): Violation => ({
  field: CLIP_FIELD,
  rule,
  message: `${fieldLabel(CLIP_FIELD)}: ${text}`,
});
