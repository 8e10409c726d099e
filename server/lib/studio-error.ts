import type { ApiError, Violation } from '../../contract/schemas/studio-api.ts';

/** HTTP statuses the studio answers errors with (design.md "Backend API"). */
export type ErrorStatus = 400 | 401 | 404 | 409 | 413 | 415 | 416 | 429 | 500 | 502 | 503 | 504 | 507;

/**
 * An error the creator may read: `message` is shown as is, so it must be plain words and never carry a
 * secret. Anything thrown that is not a StudioError is treated as a bug and hidden behind a 500.
 */
export class StudioError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly details: { issues?: Violation[]; upstreamCode?: number } = {},
  ) {
    super(message);
    this.name = 'StudioError';
  }

  toBody(): ApiError {
    const { issues, upstreamCode } = this.details;
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(issues?.length ? { issues } : {}),
        ...(upstreamCode !== undefined ? { upstreamCode } : {}),
      },
    };
  }
}

export function validationError(issues: Violation[], message?: string): StudioError {
  const first = issues[0]?.message ?? 'The request is not valid';
  return new StudioError(
    400,
    'validation_failed',
    message ?? (issues.length > 1 ? `${first} (and ${issues.length - 1} more problems)` : first),
    { issues },
  );
}

export const notFound = (what = 'task') => new StudioError(404, 'not_found', `No such ${what}`);
