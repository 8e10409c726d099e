import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AccessLog } from './access-log.ts';
import { type AuthResult, verifyAuthorization } from './auth.ts';
import { CallbackSender, type DeliveryRecord } from './callbacks.ts';
import { defaultRender } from './default-render.ts';
import { FaultBook, type FaultConfig } from './faults.ts';
import { Lifecycle, releaseReference } from './lifecycle.ts';
import { type RenderFn, RenderQueue } from './render-queue.ts';
import { type RetiredModels, retiredModels } from './retired-models.ts';
import { type SimTask, TaskStore } from './task-store.ts';
import { clearReferences, REFERENCES_DIR } from './video-input.ts';

export interface SimulatorOptions {
  /** Where startSimulator listens (default 127.0.0.1). */
  host?: string;
  /** 0 = a random free port (default). */
  port?: number;
  accessKey: string;
  secretKey: string;
  /** Optional static key (Kling's 2026 "API key"), accepted as the bearer value too. */
  apiKey?: string;
  /**
   * Where rendered videos go (created if missing); motion-control references are downloaded to its
   * `references/` folder while their task lives.
   */
  dataDir: string;
  /** Time spent in `submitted` and again in `processing` before the render starts (default 1500). */
  phaseMs?: number;
  /** The account's concurrency limit; a task holds a slot until it is final; 1303 beyond (default 5). */
  concurrency?: number;
  /** Reject ASYNC_RULES violations (mask aspect/resolution) at create instead of failing the task later. */
  strict?: boolean;
  /** Faults by configuration (see faults.ts for the vocabulary). */
  faults?: FaultConfig;
  /**
   * Models Kling no longer offers, here: a create on one (by `model_name`, or by the endpoint's default when
   * it is absent) answers `retiredCode` (default 1203, HTTP from KLING_CODES) with `retiredMessage`
   * (default "model not found"), before anything else about the body is checked.
   */
  retiredModels?: readonly string[];
  retiredCode?: number;
  retiredMessage?: string;
  log?: (line: string) => void;
  /** Public origin for video URLs; by default startSimulator's own base URL or the create request's origin. */
  baseUrl?: string;
  /**
   * The renderer of both endpoints' jobs (default: server/simulator/render's renderVideo for image2video,
   * renderMotionTransfer for motion control). Tests may pass a fake.
   */
  render?: RenderFn;
  /** Renders run at once; more wait in a queue (default 2). */
  renderParallel?: number;
  /** Per-file download timeout for URL inputs, images and reference videos alike (default 10 000 ms). */
  fetchTimeoutMs?: number;
  /** Also send a callback for the initial `submitted` (default false: it is not a status *change*). */
  callbackOnSubmit?: boolean;
  /** Delivery tries per callback (default 3), first backoff (default 1000 ms, doubling), per-try timeout. */
  callbackTries?: number;
  callbackRetryMs?: number;
  callbackTimeoutMs?: number;
  /** Standard Webhooks secrets (`whsec_…`) to sign callbacks with, one signature each (default: unsigned). */
  webhookSecrets?: readonly string[];
}

/** One create request, as received (for `GET /__sim/requests`). */
export interface RecordedRequest {
  receivedAt: number;
  method: string;
  path: string;
  /** Lower-cased names; `authorization` is left out. */
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** How the simulator answered (filled in when it has). */
  response?: { status: number; code: number; message: string; task_id?: string };
}

export interface SimulatorStats {
  /** Create requests received (whatever the answer). */
  creates: number;
  /** Tasks actually created. */
  tasksCreated: number;
  /** Query requests received: single, by external id and list. */
  queries: number;
  /** List queries among them. */
  listQueries: number;
  /** Single-task queries per task_id (or the id asked for, when unknown). */
  queriesByTask: Record<string, number>;
}

/**
 * The request log keeps bodies as received, base64 images included, so it is bounded twice: by count and
 * by the bodies' total size (the newest entry is always kept). A long demo session must not grow forever.
 */
const MAX_RECORDED = 500;
const MAX_RECORDED_BYTES = 64 * 1024 * 1024;

const emptyStats = (): SimulatorStats => ({
  creates: 0,
  tasksCreated: 0,
  queries: 0,
  listQueries: 0,
  queriesByTask: {},
});

/**
 * The simulator's state and machinery, independent of HTTP: tasks, faults, callbacks, renders, the
 * request log and counters. routes.ts puts Kling's API in front of it.
 */
export class Simulator {
  readonly opts: SimulatorOptions;
  readonly store = new TaskStore();
  readonly faults: FaultBook;
  readonly callbacks: CallbackSender;
  readonly renders: RenderQueue;
  readonly lifecycle: Lifecycle;
  readonly phaseMs: number;
  readonly concurrency: number;
  readonly strict: boolean;
  readonly fetchTimeoutMs: number;
  readonly retired: RetiredModels;
  /** Where motion-control references are downloaded to. */
  readonly referencesDir: string;
  /** Set by startSimulator once listening; otherwise video URLs use the create request's origin. */
  baseUrl: string | undefined;
  requests: RecordedRequest[] = [];
  private readonly requestSizes = new WeakMap<RecordedRequest, number>();
  private recordedBytes = 0;
  stats: SimulatorStats = emptyStats();
  /** Per-task queries with their times and per-task video fetches (`/__sim/queries`, `/__sim/downloads`). */
  readonly access = new AccessLog();
  private readonly hangs = new Set<() => void>();
  private closed = false;
  private readonly log: (line: string) => void;

  constructor(opts: SimulatorOptions) {
    this.opts = opts;
    this.log = opts.log ?? (() => {});
    this.phaseMs = opts.phaseMs ?? 1500;
    this.concurrency = opts.concurrency ?? 5;
    this.strict = opts.strict ?? false;
    this.fetchTimeoutMs = opts.fetchTimeoutMs ?? 10_000;
    this.retired = retiredModels(opts);
    this.baseUrl = opts.baseUrl?.replace(/\/+$/, '');
    mkdirSync(opts.dataDir, { recursive: true });
    this.referencesDir = join(opts.dataDir, REFERENCES_DIR);
    // Left by a process that was killed: their tasks are gone with it.
    clearReferences(this.referencesDir);
    this.faults = new FaultBook(opts.faults);
    this.callbacks = new CallbackSender({
      tries: opts.callbackTries,
      retryBaseMs: opts.callbackRetryMs,
      timeoutMs: opts.callbackTimeoutMs,
      webhookSecrets: opts.webhookSecrets,
      log: this.log,
    });
    this.renders = new RenderQueue(opts.render ?? defaultRender, opts.renderParallel ?? 2);
    this.lifecycle = new Lifecycle({
      store: this.store,
      callbacks: this.callbacks,
      renders: this.renders,
      phaseMs: this.phaseMs,
      dataDir: opts.dataDir,
      callbackOnSubmit: opts.callbackOnSubmit ?? false,
      log: this.log,
    });
  }

  authenticate(header: string | undefined): Promise<AuthResult> {
    return verifyAuthorization(header, this.opts);
  }

  /** Logs a create request; `size` is its raw body length. */
  record(entry: RecordedRequest, size: number): RecordedRequest {
    this.requests.push(entry);
    this.requestSizes.set(entry, size);
    this.recordedBytes += size;
    while (
      this.requests.length > 1 &&
      (this.requests.length > MAX_RECORDED || this.recordedBytes > MAX_RECORDED_BYTES)
    ) {
      const dropped = this.requests.shift()!;
      this.recordedBytes -= this.requestSizes.get(dropped) ?? 0;
    }
    return entry;
  }

  /** Stores a task and sets it going. */
  admit(t: SimTask, origin: string): void {
    this.store.add(t);
    this.stats.tasksCreated++;
    this.lifecycle.start(t, this.baseUrl ?? origin);
  }

  /** `taskId` undefined = a list query; otherwise the task asked about (or the id asked for, when unknown). */
  countQuery(taskId: string | undefined, externalTaskId?: string): void {
    this.stats.queries++;
    if (taskId === undefined) {
      this.stats.listQueries++;
      return;
    }
    this.stats.queriesByTask[taskId] = (this.stats.queriesByTask[taskId] ?? 0) + 1;
    this.access.recordQuery(taskId, externalTaskId);
  }

  deliveries(): readonly DeliveryRecord[] {
    return this.callbacks.deliveries;
  }

  /** Waits `ms`, or less if the client goes away or the simulator closes. True when it waited it out. */
  delay(ms: number, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal.aborted || this.closed) return resolve(false);
      const done = (waited: boolean) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.hangs.delete(onAbort);
        resolve(waited);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      signal.addEventListener('abort', onAbort, { once: true });
      this.hangs.add(onAbort);
    });
  }

  /** The `hang` fault: holds the request until the client gives up or the simulator closes. */
  async hang(signal: AbortSignal): Promise<void> {
    await this.delay(2 ** 31 - 1, signal);
  }

  /** `POST /__sim/reset`: forget tasks, requests, counters, access log and callbacks; faults back to the configured ones. */
  reset(): void {
    for (const t of this.store.clear()) {
      t.abort.abort();
      releaseReference(t);
      if (t.videoFile) rmSync(t.videoFile, { force: true });
    }
    this.requests = [];
    this.recordedBytes = 0;
    this.stats = emptyStats();
    this.access.clear();
    this.faults.clear();
    this.faults.set(this.opts.faults ?? {});
    this.callbacks.reset();
  }

  /**
   * Stops timers, renders (their ffmpeg processes), pending callbacks and held requests, and deletes the
   * downloaded references (rendered videos stay: they are the data dir's results).
   */
  async shutdown(): Promise<void> {
    this.closed = true;
    for (const t of this.store.all()) t.abort.abort();
    for (const release of [...this.hangs]) release();
    this.callbacks.close();
    await this.renders.drain();
    for (const t of this.store.all()) releaseReference(t);
    clearReferences(this.referencesDir);
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
