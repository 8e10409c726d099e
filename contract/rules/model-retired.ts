import { retiredWords } from '../capabilities/matrix.ts';
import type { Violation } from '../schemas/studio-api.ts';
import { fieldLabel } from './field-labels.ts';

export const MODEL_RETIRED_RULE = 'model_retired';

/**
 * A model Kling no longer offers (the operator's RETIRED_MODELS, or Kling answering 1203 to a create):
 * the same violation from the browser, the studio's gate and the studio's reading of Kling's answer.
 */
export function modelRetiredViolation(model: string): Violation {
  return {
    field: 'model_name',
    rule: MODEL_RETIRED_RULE,
    message: `${fieldLabel('model_name')}: ${retiredWords(model)}`,
  };
}

/** The violation when `model` is one of `retired`, else none. */
export function retiredModelRules(model: string, retired: readonly string[] | undefined): Violation[] {
  return retired?.includes(model) ? [modelRetiredViolation(model)] : [];
}
