import { randomUUID } from 'node:crypto';
import { KLING_CODE, KLING_CODES, type KlingCode } from '../../contract/schemas/kling-task.ts';

/**
 * Kling's envelopes (reference §3, §4). Success: `{code: 0, message: "SUCCEED", request_id, data}` —
 * "SUCCEED" is what the real service was captured answering. Errors carry no `data`, and their HTTP
 * status is the one Kling pairs with the business code (KLING_CODES), never 200.
 */

/** Messages seen in the wild where known; otherwise the official explanation of the code. */
const DEFAULT_MESSAGES: Partial<Record<KlingCode, string>> = {
  [KLING_CODE.concurrency]: 'parallel task over resource pack limit',
};

export function defaultMessage(code: KlingCode): string {
  return DEFAULT_MESSAGES[code] ?? KLING_CODES[code].meaning;
}

export function isKlingCode(n: number): n is KlingCode {
  return Object.hasOwn(KLING_CODES, n);
}

/** A request-ending Kling error; routes turn it into the error envelope. */
export class KlingApiError extends Error {
  readonly code: KlingCode;
  constructor(code: KlingCode, message = defaultMessage(code)) {
    super(message);
    this.code = code;
  }
  get status(): number {
    return KLING_CODES[this.code].http;
  }
}

export function newRequestId(): string {
  return randomUUID();
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export function errorResponse(code: KlingCode, message = defaultMessage(code)): Response {
  return new Response(JSON.stringify({ code, message, request_id: newRequestId() }), {
    status: KLING_CODES[code].http,
    headers: JSON_HEADERS,
  });
}

export function okResponse(data: unknown): Response {
  return new Response(
    JSON.stringify({ code: KLING_CODE.ok, message: 'SUCCEED', request_id: newRequestId(), data }),
    {
      status: 200,
      headers: JSON_HEADERS,
    },
  );
}

/**
 * What the `malformed` fault answers: HTTP 200, a JSON content type, and a body cut off mid-object,
 * as a proxy dropping the connection would leave it. Clients must not take it for a success.
 */
export function malformedResponse(): Response {
  return new Response(`{"code":0,"message":"SUCCEED","request_id":"${newRequestId()}","data":{"task_id":"8`, {
    status: 200,
    headers: JSON_HEADERS,
  });
}
