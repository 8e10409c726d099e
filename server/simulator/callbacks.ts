import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { WireTask } from './task-store.ts';

/**
 * Kling's legacy callback (reference §3.4): when `callback_url` is set, an HTTP POST of the **bare task
 * object** (no code/message envelope) "when the task status changes". Choices where Kling is silent:
 * - statuses sent: `processing`, then `succeed` or `failed`. The initial `submitted` is not a change, so
 *   it is not sent unless `callbackOnSubmit` is set;
 * - deliveries for one task go out strictly in order: the next waits until the previous one has been
 *   delivered or has used up its tries;
 * - a delivery succeeds on any 2xx; otherwise it is retried (3 tries in all, backoff doubling from
 *   `retryBaseMs`), each try with a timeout;
 * - signed only when given webhook secrets (Kling sends the headers only when the account has a secret;
 *   UNCERTAIN whether legacy callbacks are signed at all): Standard Webhooks headers `webhook-id` (one per
 *   notification, the same on its retries), `webhook-timestamp` (each try's own time) and
 *   `webhook-signature` with one `v1,` signature per secret, space-separated, as during a rotation.
 *   Signed by the `standardwebhooks` package, an implementation independent of the studio's verifier;
 * - it never blocks the task's lifecycle: sending is fire-and-forget from the lifecycle's point of view.
 */
export interface CallbackOptions {
  tries?: number;
  retryBaseMs?: number;
  timeoutMs?: number;
  /** `whsec_…` secrets; each adds a signature. None: unsigned. */
  webhookSecrets?: readonly string[];
  log?: (line: string) => void;
}

export interface DeliveryRecord {
  taskId: string;
  status: WireTask['task_status'];
  url: string;
  attempt: number;
  ok: boolean;
  /** HTTP status, or the network error. */
  result: number | string;
  at: number;
  /** The `webhook-id` sent, when signed. */
  webhookId?: string;
}

export class CallbackSender {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly tries: number;
  private readonly retryBaseMs: number;
  private readonly timeoutMs: number;
  private abort = new AbortController();
  private readonly signers: Webhook[];
  /** Every attempt, oldest first (for `GET /__sim/callbacks`). */
  readonly deliveries: DeliveryRecord[] = [];

  constructor(private readonly opts: CallbackOptions = {}) {
    this.tries = opts.tries ?? 3;
    this.retryBaseMs = opts.retryBaseMs ?? 1000;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    // Built once: a malformed secret fails the simulator's start, not every delivery.
    this.signers = (opts.webhookSecrets ?? []).map((s) => new Webhook(s));
  }

  /** The signature headers for one try, or none without secrets. */
  private signatureHeaders(id: string, body: string): Record<string, string> {
    if (!this.signers.length) return {};
    const at = new Date();
    return {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': this.signers.map((w) => w.sign(id, at, body)).join(' '),
    };
  }

  send(url: string, task: WireTask): void {
    const prev = this.chains.get(task.task_id) ?? Promise.resolve();
    const signal = this.abort.signal;
    const next = prev.then(() => this.deliver(url, task, signal));
    this.chains.set(task.task_id, next);
    void next.finally(() => {
      if (this.chains.get(task.task_id) === next) this.chains.delete(task.task_id);
    });
  }

  private async deliver(url: string, task: WireTask, signal: AbortSignal): Promise<void> {
    const body = JSON.stringify(task);
    const webhookId = this.signers.length ? randomUUID() : undefined;
    for (let attempt = 1; attempt <= this.tries && !signal.aborted; attempt++) {
      let result: number | string;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'kling-simulator',
            ...(webhookId ? this.signatureHeaders(webhookId, body) : {}),
          },
          body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
        });
        await res.body?.cancel();
        result = res.status;
      } catch (err) {
        result = err instanceof Error ? err.message : String(err);
      }
      const ok = typeof result === 'number' && result >= 200 && result < 300;
      this.deliveries.push({
        taskId: task.task_id,
        status: task.task_status,
        url,
        attempt,
        ok,
        result,
        at: Date.now(),
        ...(webhookId ? { webhookId } : {}),
      });
      if (ok) return;
      this.opts.log?.(
        `callback ${task.task_id} ${task.task_status} try ${attempt}/${this.tries} failed: ${result}`,
      );
      if (attempt < this.tries) await sleep(this.retryBaseMs * 2 ** (attempt - 1), signal);
    }
  }

  /** Resolves once every queued delivery has finished (tests). */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.allSettled([...this.chains.values()]);
  }

  /** Stops pending deliveries and forgets the log. */
  reset(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.chains.clear();
    this.deliveries.length = 0;
  }

  close(): void {
    this.abort.abort();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
