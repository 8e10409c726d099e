import type { z } from 'zod';
import { apiErrorSchema, type Violation } from '../../contract/schemas/studio-api.ts';

/** An error answered by the studio's API, with the field-level issues when there are any. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Violation[] = [],
    readonly upstreamCode?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * This browser's turn in the studio's queue (`x-studio-client`): the backend takes turns between clients,
 * so one creator's batch of 20 does not starve another's single task. Random and kept, never an identity.
 */
function clientId(): string | undefined {
  try {
    let id = localStorage.getItem('motion-studio:client');
    if (!id) {
      id = crypto.randomUUID();
      localStorage.setItem('motion-studio:client', id);
    }
    return id;
  } catch {
    return undefined; // storage off (private mode): the backend falls back to the connection's address
  }
}

function clientIdHeader(): Record<string, string> {
  const id = clientId();
  return id ? { 'x-studio-client': id } : {};
}

/**
 * Fetches `/api…` and parses the answer with a contract schema. Non-2xx answers become ApiError carrying
 * the backend's `{error: {code, message, issues}}`, so forms can show each issue beside its field.
 */
export async function apiFetch<S extends z.ZodType>(
  path: string,
  schema: S,
  init?: RequestInit,
): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      headers: {
        Accept: 'application/json',
        ...clientIdHeader(),
        ...(init?.body ? { 'Content-Type': 'application/json' } : {}),
        ...init?.headers,
      },
    });
  } catch {
    throw new ApiError(0, 'network', 'The studio server cannot be reached. Is it still running?');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(
      res.status,
      'bad_response',
      `The server answered ${res.status} with something that is not JSON`,
    );
  }
  if (!res.ok) {
    const parsed = apiErrorSchema.safeParse(json);
    if (parsed.success) {
      const e = parsed.data.error;
      throw new ApiError(res.status, e.code, e.message, e.issues ?? [], e.upstreamCode);
    }
    throw new ApiError(res.status, 'http_error', `The server answered ${res.status}`);
  }
  return schema.parse(json);
}
