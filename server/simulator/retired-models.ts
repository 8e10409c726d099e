import { KLING_CODE, type KlingCode } from '../../contract/schemas/kling-task.ts';
import { isKlingCode } from './errors.ts';

/**
 * Models an operator has the simulator treat as gone from Kling, to rehearse a retirement (kling-2026.md
 * §1: v1.5, v1.6, v2.1 reported retired on 2026-09-15). What Kling answers then is UNCERTAIN; 1203 "model
 * not found" (HTTP 404, "the requested resource does not exist, such as the model") is the natural guess,
 * so code and message are settings too.
 */
export interface RetiredModels {
  models: ReadonlySet<string>;
  code: KlingCode;
  message: string;
}

export const DEFAULT_RETIRED_CODE: KlingCode = KLING_CODE.notFound;
export const DEFAULT_RETIRED_MESSAGE = 'model not found';

export function retiredModels(opts: {
  retiredModels?: readonly string[];
  retiredCode?: number;
  retiredMessage?: string;
}): RetiredModels {
  const code = opts.retiredCode ?? DEFAULT_RETIRED_CODE;
  if (!isKlingCode(code)) throw new Error(`retiredCode must be one of Kling's codes, got ${code}`);
  return {
    models: new Set(opts.retiredModels ?? []),
    code,
    message: opts.retiredMessage || DEFAULT_RETIRED_MESSAGE,
  };
}

/**
 * The model a create asks for, as Kling would resolve it: `model_name`, or the endpoint's default when it
 * is absent (a request without one still lands on a model, and that model may be gone). Anything that is
 * not a string is left for the schema to refuse.
 */
export function requestedModel(body: unknown, defaultModel: string): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const name = (body as { model_name?: unknown }).model_name;
  if (name === undefined) return defaultModel;
  return typeof name === 'string' ? name : undefined;
}

/** Splits `SIM_RETIRED_MODELS=kling-v1, kling-v1-5` into names. */
export function parseModelList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
