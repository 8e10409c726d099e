import { retiredWords } from '../../contract/capabilities/matrix.ts';
import { MODEL_RETIRED_RULE, modelRetiredViolation } from '../../contract/rules/model-retired.ts';
import { KLING_CODE, KLING_CODES, type KlingCode } from '../../contract/schemas/kling-task.ts';
import { StudioError } from '../lib/studio-error.ts';

/**
 * Why an upstream call did not produce a usable answer. `answered` separates "Kling replied and said no"
 * (the request is settled) from "no reply at all" (a create may or may not exist upstream).
 */
export type UpstreamFailureKind = 'api' | 'timeout' | 'unreachable' | 'network' | 'malformed';

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamFailureKind,
    message: string,
    readonly details: { code?: number; httpStatus?: number } = {},
  ) {
    super(message);
    this.name = 'UpstreamError';
  }

  /** Kling replied (with an error or garbage), so what it did is knowable by looking the task up. */
  get answered(): boolean {
    return this.kind === 'api' || this.kind === 'malformed';
  }

  /** Nothing reached Kling: the request can be sent again without any risk of paying twice. */
  get neverSent(): boolean {
    return this.kind === 'unreachable' || (this.kind === 'api' && isAuthCode(this.details.code));
  }

  /** Worth repeating an idempotent read. */
  get transient(): boolean {
    if (this.kind === 'timeout' || this.kind === 'network' || this.kind === 'malformed') return true;
    if (this.kind === 'unreachable') return true;
    const code = this.details.code;
    return (code !== undefined && code >= KLING_CODE.serverError) || (this.details.httpStatus ?? 0) >= 500;
  }

  /** Kling asked us to slow down. */
  get throttled(): boolean {
    const code = this.details.code;
    return (
      code === KLING_CODE.rateLimited || code === KLING_CODE.concurrency || this.details.httpStatus === 429
    );
  }
}

export const isAuthCode = (code: number | undefined) =>
  code !== undefined && code >= KLING_CODE.authFailed && code <= KLING_CODE.authExpired;

const isKnownCode = (code: number): code is KlingCode => Object.hasOwn(KLING_CODES, code);

/** Kling's own words for a code, for messages that quote it. */
export function klingMeaning(code: number): string {
  return isKnownCode(code) ? KLING_CODES[code].meaning : `Kling error ${code}`;
}

/**
 * Kling's business codes in words a creator can act on (reference §4). Kling's message is appended only for
 * request problems (12xx, 1300/1301), where it names the field; elsewhere it says nothing useful to them.
 */
export function studioErrorFromUpstream(
  e: UpstreamError,
  timeoutMs?: number,
  /** The create's model: a 1203 ("resource does not exist, such as the model") to a create means it is gone. */
  create?: { model: string },
): StudioError {
  const upstreamCode = e.details.code;
  const withCode = upstreamCode !== undefined ? { upstreamCode } : {};
  switch (e.kind) {
    case 'timeout':
      return new StudioError(
        504,
        'upstream_timeout',
        `Kling did not answer${timeoutMs ? ` within ${Math.round(timeoutMs / 1000)} s` : ' in time'}. Try again in a moment.`,
      );
    case 'unreachable':
      return new StudioError(
        502,
        'upstream_unreachable',
        'The studio cannot reach Kling right now (the connection was refused). Try again in a moment.',
      );
    case 'network':
      return new StudioError(
        502,
        'upstream_network',
        'The connection to Kling broke off. Try again in a moment.',
      );
    case 'malformed':
      return new StudioError(
        502,
        'upstream_bad_response',
        'Kling answered with something the studio could not read. Try again in a moment.',
        withCode,
      );
    case 'api':
      break;
  }
  const code = upstreamCode ?? 0;
  const said = e.message ? ` (Kling said: ${e.message})` : '';
  if (isAuthCode(code))
    return new StudioError(
      502,
      'upstream_auth',
      'Kling refused the studio’s credentials. Check KLING_ACCESS_KEY and KLING_SECRET_KEY (or KLING_API_KEY) on the server.',
      withCode,
    );
  switch (code) {
    case KLING_CODE.notFound:
      // Kling's reading of a model it no longer offers (kling-2026.md §1): the browser's own words for it.
      if (create)
        return new StudioError(400, MODEL_RETIRED_RULE, retiredWords(create.model), {
          issues: [modelRetiredViolation(create.model)],
          upstreamCode: code,
        });
      break;
    case KLING_CODE.accountException:
    case KLING_CODE.accountArrears:
      return new StudioError(
        429,
        'upstream_account',
        'The Kling account has a problem (arrears or a blocked account). Check it in the Kling console.',
        withCode,
      );
    case KLING_CODE.outOfCredits:
      return new StudioError(
        429,
        'upstream_out_of_credits',
        'The Kling account is out of credits (its resource pack is used up or expired). Top it up, then try again.',
        withCode,
      );
    case KLING_CODE.forbidden:
      return new StudioError(
        502,
        'upstream_forbidden',
        'The studio’s Kling account may not use this model or feature.',
        withCode,
      );
    case KLING_CODE.contentPolicy:
      return new StudioError(
        400,
        'content_policy',
        'Kling’s content policy refused this request. Change the prompt or the images and try again.',
        withCode,
      );
    case KLING_CODE.policy:
      return new StudioError(
        400,
        'upstream_policy',
        `Kling refused this request by policy${said}.`,
        withCode,
      );
    case KLING_CODE.rateLimited:
      return new StudioError(
        429,
        'upstream_rate_limited',
        'Kling says requests are coming too fast. Wait a minute and try again.',
        withCode,
      );
    case KLING_CODE.concurrency:
      return new StudioError(
        429,
        'upstream_busy',
        'The Kling account is already running as many tasks as its plan allows. Wait for one to finish, then try again.',
        withCode,
      );
    case KLING_CODE.ipBlocked:
      return new StudioError(
        502,
        'upstream_ip_blocked',
        'Kling refused the studio’s network address (IP allow-list).',
        withCode,
      );
    case KLING_CODE.unavailable:
      return new StudioError(
        502,
        'upstream_unavailable',
        'Kling is temporarily unavailable (maintenance). Try again later.',
        withCode,
      );
    case KLING_CODE.serverTimeout:
      return new StudioError(
        504,
        'upstream_timeout',
        'Kling timed out internally (a backlog). Try again later.',
        withCode,
      );
  }
  if (code >= KLING_CODE.invalidRequest && code < KLING_CODE.policy)
    return new StudioError(400, 'upstream_rejected', `Kling rejected the request${said}.`, withCode);
  if (code >= KLING_CODE.serverError || (e.details.httpStatus ?? 0) >= 500)
    return new StudioError(
      502,
      'upstream_error',
      'Kling had an internal error. Nothing was charged for this attempt; try again in a moment.',
      withCode,
    );
  return new StudioError(502, 'upstream_error', `Kling answered with an unexpected error${said}.`, withCode);
}
