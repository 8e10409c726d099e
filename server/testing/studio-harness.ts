/**
 * Test support (not a test): the real simulator on a loopback port (with a fast fake renderer unless a test
 * wants real video), the real studio on another, tiny generated images, and helpers to read SSE.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser } from 'eventsource-parser';
import type { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, vi } from 'vitest';
import type { StudioTask } from '../../contract/schemas/studio-api.ts';
import { createApp } from '../app.ts';
import type { KlingAuth } from '../auth/kling-auth.ts';
import { configSecrets, loadConfig } from '../config/config.ts';
import { listenStudio } from '../http/serve-studio.ts';
import type { Clock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import {
  type RenderFn,
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../simulator/index.ts';
import { fakeRenderer, fakeVideoBytes as simulatorFakeVideo } from '../simulator/test-support.ts';
import type { TaskStore } from '../tasks/task-store.ts';
import { createServices, type Services } from '../wire.ts';
import { createDatabase, startPostgres, type TestPostgres } from './postgres.ts';
import { databaseForDataDir } from './test-database.ts';

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `ms-${prefix}-`));

// Tiny images and the fake video's bytes are the simulator's test support, used here as is.
export { b64, jpeg, png } from '../simulator/test-support.ts';

/** The fake video is 64 KB here, so Range requests have room to ask for parts. */
export const fakeVideoBytes = () => simulatorFakeVideo(64 * 1024);

/** Renders instantly: the studio's tests are about the studio, not about ffmpeg. */
export const fakeRender: RenderFn = fakeRenderer({ bytes: fakeVideoBytes() }).render;

export interface SimForStudio extends RunningSimulator {
  dataDir: string;
  requests(): Promise<{ body: Record<string, unknown>; response?: { status: number; code: number } }[]>;
  stats(): Promise<{
    creates: number;
    tasksCreated: number;
    queries: number;
    queriesByTask: Record<string, number>;
  }>;
  tasks(): Promise<{ task_id: string; task_status: string }[]>;
}

export const SIM_KEYS = { accessKey: 'test-access-key-123', secretKey: 'test-SECRET-key-do-not-leak-987654' };

export async function startSimForStudio(opts: Partial<SimulatorOptions> = {}): Promise<SimForStudio> {
  const dataDir = tempDir('sim');
  const sim = await startSimulator({
    ...SIM_KEYS,
    dataDir,
    phaseMs: 100,
    concurrency: 50,
    render: fakeRender,
    ...opts,
  });
  const get = async (path: string) => (await fetch(`${sim.baseUrl}${path}`)).json();
  const closeSim = sim.close.bind(sim);
  return Object.assign(sim, {
    dataDir,
    requests: () => get('/__sim/requests'),
    stats: () => get('/__sim/stats'),
    tasks: () => get('/__sim/tasks'),
    close: async () => {
      await closeSim();
      rmSync(dataDir, { recursive: true, force: true });
    },
  }) as SimForStudio;
}

export interface Studio {
  url: string;
  app: Hono;
  services: Services;
  dataDir: string;
  /** Every line the studio logged (already redacted, as it would be printed). */
  logLines: string[];
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** POST /api/tasks with a JSON body. */
  create(body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export interface StudioOptions {
  env?: Record<string, string>;
  clock?: Clock;
  auth?: KlingAuth;
  dataDir?: string;
  port?: number;
  /**
   * What /api/health reports and the studio believes: 'simulator' as with the built-in one (uploads then
   * reach it on the studio's loopback address without PUBLIC_URL). Default 'kling', as for KLING_BASE_URL.
   */
  upstreamKind?: 'kling' | 'simulator';
  /**
   * PostgreSQL instead of DATA_DIR/studio.db (DATABASE_URL). Without it: the database test-database.ts
   * gives this DATA_DIR when a file runs its studios on PostgreSQL, else SQLite.
   */
  databaseUrl?: string;
  /**
   * Files in a bucket (S3_BUCKET, S3_ENDPOINT: startS3's `env`) instead of DATA_DIR, under `prefix`. Its
   * AWS credentials go into process.env, where the SDK's default chain reads them as on a real server.
   */
  s3?: { env: Record<string, string>; prefix?: string };
  /** Wraps the studio's task store (see `slowStore`). */
  decorateStore?: (store: TaskStore) => TaskStore;
}

/** The studio on 127.0.0.1:0 against `sim`, configured through the same env parsing as production. */
export async function startStudio(sim: { baseUrl: string }, opts: StudioOptions = {}): Promise<Studio> {
  const dataDir = opts.dataDir ?? tempDir('studio');
  const databaseUrl = opts.databaseUrl ?? (await databaseForDataDir(dataDir));
  const config = loadConfig({
    DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    PORT: '0',
    KLING_ACCESS_KEY: SIM_KEYS.accessKey,
    KLING_SECRET_KEY: SIM_KEYS.secretKey,
    KLING_BASE_URL: sim.baseUrl,
    POLL_MIN_MS: '60',
    POLL_MAX_MS: '250',
    UPSTREAM_TIMEOUT_MS: '3000',
    SSE_HEARTBEAT_MS: '1000',
    LOG_LEVEL: 'debug',
    // Tests run wherever CI puts tmpdir, often a small disk: the 1 GiB floor is for tests that ask for it.
    MIN_FREE_DISK_BYTES: '0',
    ...(opts.s3 ? s3Env(opts.s3) : {}),
    ...opts.env,
  });
  const logLines: string[] = [];
  const log = createLogger({
    secrets: configSecrets(config),
    level: 'debug',
    write: (l) => logLines.push(l),
  });
  const services = await createServices({
    config,
    upstream: {
      kind: opts.upstreamKind ?? 'kling',
      baseUrl: sim.baseUrl,
      credentials:
        config.upstream.kind === 'kling' ? config.upstream.credentials : { type: 'apiKey', apiKey: 'x' },
    },
    log,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.auth ? { auth: opts.auth } : {}),
    ...(opts.decorateStore ? { decorateStore: opts.decorateStore } : {}),
  });
  const app = createApp(services);
  // The same listener main.ts uses, so request/header timeouts are the ones a real studio has.
  const server = await listenStudio(app, { port: opts.port ?? 0, hostname: '127.0.0.1', http: config.http });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await services.tracker.resumeAll();
  await services.dispatcher.start();
  const doFetch = (path: string, init?: RequestInit) => fetch(`${url}${path}`, init);
  return {
    url,
    app,
    services,
    dataDir,
    logLines,
    fetch: doFetch,
    create: (body, headers = {}) =>
      doFetch('/api/tasks', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await services.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function s3Env(s3: NonNullable<StudioOptions['s3']>): Record<string, string> {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY } = s3.env;
  if (AWS_ACCESS_KEY_ID) process.env.AWS_ACCESS_KEY_ID = AWS_ACCESS_KEY_ID;
  if (AWS_SECRET_ACCESS_KEY) process.env.AWS_SECRET_ACCESS_KEY = AWS_SECRET_ACCESS_KEY;
  // The config sees them too, as in production: the secret is then kept out of the logs.
  return { ...s3.env, ...(s3.prefix ? { S3_PREFIX: s3.prefix } : {}) };
}

/**
 * A studio that learns of progress by callback: PUBLIC_URL is its own port (picked before it starts), and
 * polling waits a minute, so any progress a test sees came by callback.
 */
export async function startCallbackStudio(
  sim: { baseUrl: string },
  opts: StudioOptions = {},
): Promise<Studio> {
  const port = await freePort();
  return startStudio(sim, {
    ...opts,
    port,
    env: { PUBLIC_URL: `http://127.0.0.1:${port}`, POLL_MIN_MS: '60000', POLL_MAX_MS: '60000', ...opts.env },
  });
}

/**
 * One simulator for the whole file: started in `beforeAll`, closed in `afterAll`. The returned object is
 * empty until then, so read `ctx.sim` inside hooks and tests, never at the top level.
 */
export function withSim(opts: Partial<SimulatorOptions> & { resetBeforeEach?: boolean } = {}): {
  sim: SimForStudio;
} {
  const { resetBeforeEach, ...simOpts } = opts;
  const ctx = {} as { sim: SimForStudio };
  beforeAll(async () => {
    ctx.sim = await startSimForStudio(simOpts);
  });
  afterAll(async () => {
    await ctx.sim?.close();
  });
  // Tests that count the simulator's creates or queries start each from zero.
  if (resetBeforeEach)
    beforeEach(async () => {
      await fetch(`${ctx.sim.baseUrl}/__sim/reset`, { method: 'POST' });
    });
  return ctx;
}

/**
 * A throwaway PostgreSQL cluster for the file (or the `describe` it is called in), up in `beforeAll` and
 * stopped in `afterAll`. `database()` makes an empty database on it, one per call: studios of one test share
 * it as replicas share theirs, and a test's retry starts from nothing.
 */
export function withPostgres(): { database(): Promise<string> } {
  let pg: TestPostgres | undefined;
  let made = 0;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });
  return {
    database() {
      if (!pg) throw new Error('withPostgres: the cluster is not up yet (call database() in a test)');
      return createDatabase(pg.url, `test_${++made}`);
    },
  };
}

/**
 * A simulator and one studio against it for the whole file (or the `describe` it is called in): both start in
 * `beforeAll` and close in `afterAll`, the studio first. Fields are filled in by the time tests run.
 */
export function withStudio(
  opts: StudioOptions & {
    sim?: Partial<SimulatorOptions>;
    resetSimBeforeEach?: boolean;
    /** Started with startCallbackStudio. */
    callbacks?: boolean;
  } = {},
): { sim: SimForStudio; studio: Studio } {
  const { sim: simOpts = {}, resetSimBeforeEach, callbacks, ...studioOpts } = opts;
  const ctx = withSim({ ...simOpts, ...(resetSimBeforeEach ? { resetBeforeEach: true } : {}) }) as {
    sim: SimForStudio;
    studio: Studio;
  };
  // Registered after withSim's hooks: vitest runs beforeAll in order and afterAll in reverse, so the studio
  // starts after the simulator and closes before it.
  beforeAll(async () => {
    ctx.studio = await (callbacks ? startCallbackStudio : startStudio)(ctx.sim, studioOpts);
  });
  afterAll(async () => {
    await ctx.studio?.close();
  });
  return ctx;
}

/** A port that was free a moment ago (for a studio whose PUBLIC_URL must be known before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Polls GET /api/tasks/:id until `done` holds (or throws after `timeoutMs`). */
export async function waitForTask(
  studio: Pick<Studio, 'fetch'>,
  id: string,
  done: (t: StudioTask) => boolean = (t) => t.status === 'succeed' || t.status === 'failed',
  timeoutMs = 15_000,
): Promise<StudioTask> {
  return vi.waitFor(
    async () => {
      const res = await studio.fetch(`/api/tasks/${id}`);
      const { task } = (await res.json()) as { task: StudioTask };
      if (!done(task)) throw new Error(`task ${id} stuck at ${task.status} (${task.statusMessage ?? ''})`);
      return task;
    },
    { timeout: timeoutMs, interval: 50 },
  );
}

/** An open SSE stream whose `task` events are collected as they arrive. */
export interface SseWatcher {
  tasks: StudioTask[];
  raw: string;
  ready: Promise<void>;
  close(): void;
  waitFor(pred: (t: StudioTask) => boolean, timeoutMs?: number): Promise<StudioTask>;
}

export function watchEvents(url: string, headers: Record<string, string> = {}): SseWatcher {
  const controller = new AbortController();
  const w: SseWatcher = {
    tasks: [],
    raw: '',
    ready: Promise.resolve(),
    close: () => controller.abort(),
    waitFor: (pred, timeoutMs = 15_000) =>
      vi.waitFor(
        () => {
          const hit = w.tasks.find(pred);
          if (!hit) throw new Error(`no matching SSE event; got ${w.tasks.map((t) => t.status).join(',')}`);
          return hit;
        },
        { timeout: timeoutMs, interval: 20 },
      ),
  };
  w.ready = (async () => {
    const res = await fetch(`${url}/api/events`, { headers, signal: controller.signal });
    if (!res.ok || !res.body) throw new Error(`SSE answered ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let resolveReady: () => void = () => {};
    const readyNow = new Promise<void>((r) => {
      resolveReady = r;
    });
    // The server's first comment (`: connected`) says the subscription is live.
    const parser = createParser({
      onComment: (comment) => {
        if (comment.startsWith('connected')) resolveReady();
      },
      onEvent: (event) => {
        if (event.event === 'task' && event.data)
          w.tasks.push((JSON.parse(event.data) as { task: StudioTask }).task);
      },
    });
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          w.raw += value;
          parser.feed(value);
        }
      } catch {
        // aborted
      }
    })();
    await readyNow;
  })();
  return w;
}
