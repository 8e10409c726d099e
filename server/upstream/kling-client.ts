import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import { KLING_CODE, type KlingTask, klingTaskEnvelopeSchema } from '../../contract/schemas/kling-task.ts';
import type { MotionControlRequest } from '../../contract/schemas/motion-control-request.ts';
import type { TaskKind } from '../../contract/schemas/studio-api.ts';
import type { KlingAuth } from '../auth/kling-auth.ts';
import { sleep } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { type JsonBody, jsonBody } from './json-body.ts';
import { isAuthCode, UpstreamError } from './upstream-error.ts';

/** The typed Kling client (image2video and motion control): the only code that speaks to Kling (or the simulator). */
export interface KlingClient {
  readonly baseUrl: string;
  /** Sends an image2video create exactly once (an auth refusal is renewed and retried: nothing was created then). */
  createTask(body: CreateRequest): Promise<KlingTask>;
  /** Sends a motion-control create exactly once, on the same terms as createTask. */
  createMotionControl(body: MotionControlRequest): Promise<KlingTask>;
  /**
   * By Kling task id or external_task_id, on the endpoint of the task's kind (each endpoint knows only its
   * own tasks); `undefined` when Kling does not know it. Retried when transient.
   */
  getTask(id: string, kind: TaskKind): Promise<KlingTask | undefined>;
}

export interface KlingClientOptions {
  baseUrl: string;
  auth: KlingAuth;
  timeoutMs: number;
  log: Logger;
  /** Attempts for idempotent reads (first try included). */
  getAttempts?: number;
  /** Base of the exponential backoff between read attempts. */
  retryBaseMs?: number;
  fetch?: typeof fetch;
  /** Longest answer read (default MAX_ANSWER_BYTES); a longer one is malformed. */
  maxAnswerBytes?: number;
}

/** Each kind of task is created and queried on its own endpoint. */
export const KIND_PATHS: Record<TaskKind, string> = {
  image2video: '/v1/videos/image2video',
  'motion-control': '/v1/videos/motion-control',
};

/**
 * Kling's task answers are a few KB. A proxy or CDN page in front of KLING_BASE_URL can be any size, and
 * every task polled at once would buffer it whole: past this, reading stops and the answer is malformed.
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export function createKlingClient(opts: KlingClientOptions): KlingClient {
  const doFetch = opts.fetch ?? fetch;
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const maxAnswerBytes = opts.maxAnswerBytes ?? MAX_ANSWER_BYTES;

  /** One HTTP exchange; returns the parsed success envelope's data or throws UpstreamError. */
  async function exchange(method: 'GET' | 'POST', path: string, body?: JsonBody): Promise<KlingTask> {
    const started = Date.now();
    let res: Response;
    let text: string | undefined;
    try {
      const authorization = await opts.auth.authorization();
      const payload = body?.body();
      const streamed = payload !== undefined && typeof payload !== 'string';
      res = await doFetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          // A streamed body still goes with its exact length, never chunked.
          ...(streamed ? { 'content-length': String(body!.length) } : {}),
        },
        body: payload,
        signal: AbortSignal.timeout(opts.timeoutMs),
        ...(streamed ? { duplex: 'half' } : {}),
      } as RequestInit);
      text = await readCapped(res, maxAnswerBytes);
    } catch (e) {
      throw fetchFailure(e, opts.timeoutMs);
    }
    opts.log.debug('upstream answered', { method, path, status: res.status, ms: Date.now() - started });
    if (text === undefined)
      throw new UpstreamError(
        'malformed',
        `the answer is larger than ${Math.round(maxAnswerBytes / (1024 * 1024))} MB`,
        { httpStatus: res.status },
      );
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UpstreamError('malformed', 'the answer is not JSON', { httpStatus: res.status });
    }
    const code = codeOf(json);
    if (res.ok && code === 0) {
      const parsed = klingTaskEnvelopeSchema.safeParse(json);
      if (!parsed.success)
        throw new UpstreamError('malformed', 'the answer does not match Kling’s task shape', {
          httpStatus: res.status,
          code: 0,
        });
      return parsed.data.data;
    }
    if (code === undefined)
      throw new UpstreamError(res.ok ? 'malformed' : 'api', `HTTP ${res.status} without a Kling code`, {
        httpStatus: res.status,
      });
    throw new UpstreamError('api', messageOf(json), { code, httpStatus: res.status });
  }

  /** Kling's token may expire between signing and arrival (1004): renew once and repeat. */
  async function signed<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof UpstreamError && e.kind === 'api' && isAuthCode(e.details.code)) {
        opts.log.warn('Kling refused the token; renewing and retrying once', { code: e.details.code });
        opts.auth.invalidate();
        return run();
      }
      throw e;
    }
  }

  /** Serialised once, on the call; a renewed-token retry sends the same bytes. */
  function create(kind: TaskKind, body: CreateRequest | MotionControlRequest): Promise<KlingTask> {
    const json = jsonBody(body);
    return signed(() => exchange('POST', KIND_PATHS[kind], json));
  }

  return {
    baseUrl,
    createTask: (body) => create('image2video', body),
    createMotionControl: (body) => create('motion-control', body),
    async getTask(id, kind) {
      const attempts = opts.getAttempts ?? 3;
      const base = opts.retryBaseMs ?? 250;
      for (let attempt = 1; ; attempt++) {
        try {
          return await signed(() => exchange('GET', `${KIND_PATHS[kind]}/${encodeURIComponent(id)}`));
        } catch (e) {
          if (
            e instanceof UpstreamError &&
            e.kind === 'api' &&
            (e.details.httpStatus === 404 || e.details.code === KLING_CODE.notFound)
          )
            return undefined;
          if (!(e instanceof UpstreamError) || !e.transient || e.throttled || attempt >= attempts) throw e;
          await sleep(base * 3 ** (attempt - 1));
        }
      }
    },
  };
}

/** The body as text, or undefined once it passed `max` bytes (the rest is never read). */
async function readCapped(res: Response, max: number): Promise<string | undefined> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      // Cancelling closes the connection: the upstream stops sending.
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  // As res.text() decodes: UTF-8, a leading BOM dropped.
  return new TextDecoder().decode(Buffer.concat(chunks, total));
}

function codeOf(json: unknown): number | undefined {
  if (json && typeof json === 'object' && 'code' in json && typeof json.code === 'number') return json.code;
  return undefined;
}

function messageOf(json: unknown): string {
  if (json && typeof json === 'object' && 'message' in json && typeof json.message === 'string')
    return json.message.slice(0, 300);
  return '';
}

function fetchFailure(e: unknown, timeoutMs: number): UpstreamError {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'))
    return new UpstreamError('timeout', `no answer within ${timeoutMs} ms`);
  const cause = e instanceof Error && e.cause && typeof e.cause === 'object' ? e.cause : undefined;
  const code = cause && 'code' in cause ? String(cause.code) : '';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new UpstreamError('unreachable', `cannot connect (${code})`);
  return new UpstreamError('network', `connection failed${code ? ` (${code})` : ''}`);
}
