import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { z } from 'zod';
import type { ModelName } from '../../contract/capabilities/matrix.ts';
import { type Env, envSchema } from './env-schema.ts';

/** Kling's global endpoint (reference §1.4). */
export const KLING_GLOBAL_BASE_URL = 'https://api-singapore.klingai.com';

export type KlingCredentials =
  | { type: 'jwt'; accessKey: string; secretKey: string }
  | { type: 'apiKey'; apiKey: string };

export interface SimulatorSettings {
  port: number;
  phaseMs: number | undefined;
  concurrency: number | undefined;
  strict: boolean | undefined;
  /** Passed to the simulator's own parser (server/simulator/faults.ts). */
  fault: string | undefined;
  /** Signs its callbacks with each (empty: unsigned). */
  webhookSecrets: string[];
  /** Models it answers as retired, and how (default 1203 "model not found"; the simulator checks the code). */
  retiredModels: string[];
  retiredCode: number | undefined;
  retiredMessage: string | undefined;
}

/** Where tasks go: real Kling (or a standalone simulator at KLING_BASE_URL), or the built-in simulator. */
export type UpstreamConfig =
  | { kind: 'kling'; baseUrl: string; credentials: KlingCredentials }
  | { kind: 'simulator'; simulator: SimulatorSettings };

export interface Config {
  port: number;
  host: string;
  /** Absolute. */
  dataDir: string;
  upstream: UpstreamConfig;
  /** Without a trailing slash. */
  publicUrl: string | undefined;
  appToken: string | undefined;
  /** A session cookie's lifetime, enforced by the server as well as by the cookie's Max-Age. */
  sessionMaxAgeS: number;
  /** Kling's webhook secrets; empty: callbacks are not signature-checked (the per-task token still is). */
  webhookSecrets: string[];
  walletGuard: { createsPerMinute: number; maxRunningTasks: number };
  /** KLING_CONCURRENCY and BUDGET_UNITS_PER_DAY (0: no cap). */
  queue: { concurrency: number; budgetUnitsPerDay: number };
  tracker: { pollMinMs: number; pollMaxMs: number; confirmWindowMs: number };
  upstreamTimeoutMs: number;
  urlFetch: { timeoutMs: number; allowHosts: string[] };
  archive: { maxBytes: number; timeoutMs: number };
  /** Creates are refused while DATA_DIR has less free space (0: never). */
  minFreeDiskBytes: number;
  /** Uploaded reference videos that no unfinished task uses are removed once this old. */
  uploadTtlMs: number;
  bodyLimitBytes: number;
  sseHeartbeatMs: number;
  /** Open /api/events streams allowed per client address and in total. */
  sseLimits: { perClient: number; total: number };
  /** The Node server's timeouts and how many create bodies are read at once. */
  http: { requestTimeoutMs: number; headersTimeoutMs: number; maxBodiesInFlight: number };
  logLevel: Env['LOG_LEVEL'];
  /** Cluster mode: where state lives (no databaseUrl: SQLite in DATA_DIR) and this replica's name. */
  cluster: {
    databaseUrl: string | undefined;
    listenUrl: string | undefined;
    leaseMs: number;
    replicaId: string;
  };
  /** S3-compatible file storage; undefined: files in DATA_DIR. */
  s3: { bucket: string; endpoint: string | undefined; region: string; prefix: string } | undefined;
  /** Read only to keep it out of logs and responses (the AWS SDK reads it itself). */
  awsSecretAccessKey: string | undefined;
  /** TRUST_PROXY entries (addresses or CIDRs), as written. */
  trustProxy: string[];
  /** RETIRED_MODELS: served as `retired` in /api/capabilities, and creates on them refused before sending. */
  retiredModels: ModelName[];
  /** USD_PER_UNIT: the money rate the studio shows beside units. */
  usdPerUnit: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function zodProblems(error: z.ZodError): string[] {
  // Never echo the offending value: it may be a key.
  return error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`);
}

/** Parses the environment once; throws ConfigError naming every problem at once. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(zodProblems(parsed.error));
  const e = parsed.data;
  const problems: string[] = [];

  const hasAk = e.KLING_ACCESS_KEY !== undefined;
  const hasSk = e.KLING_SECRET_KEY !== undefined;
  if (hasAk !== hasSk)
    problems.push(
      `${hasAk ? 'KLING_ACCESS_KEY' : 'KLING_SECRET_KEY'} is set but ${hasAk ? 'KLING_SECRET_KEY' : 'KLING_ACCESS_KEY'} is not: Kling needs both keys of the pair`,
    );
  if (hasAk && hasSk && e.KLING_API_KEY)
    problems.push('set either KLING_ACCESS_KEY + KLING_SECRET_KEY or KLING_API_KEY, not both');
  const hasKeys = (hasAk && hasSk) || e.KLING_API_KEY !== undefined;
  if (!hasKeys && e.KLING_BASE_URL)
    problems.push(
      'KLING_BASE_URL is set but no Kling keys are: set KLING_ACCESS_KEY and KLING_SECRET_KEY (or KLING_API_KEY), or unset KLING_BASE_URL to use the built-in simulator',
    );
  if (e.POLL_MIN_MS > e.POLL_MAX_MS) problems.push('POLL_MIN_MS must not be larger than POLL_MAX_MS');
  // Node refuses to start a server whose header timeout outlasts its request timeout.
  if (e.HEADERS_TIMEOUT_MS > e.REQUEST_TIMEOUT_MS)
    problems.push('HEADERS_TIMEOUT_MS must not be larger than REQUEST_TIMEOUT_MS');
  // Behind PUBLIC_URL anyone on the internet can try tokens; a short one is the weak point, not the limiter.
  if (e.PUBLIC_URL && e.APP_TOKEN && e.APP_TOKEN.length < 24)
    problems.push(
      'APP_TOKEN must be at least 24 characters when PUBLIC_URL is set (the studio is reachable from outside)',
    );
  if (problems.length) throw new ConfigError(problems);

  const credentials: KlingCredentials | undefined =
    e.KLING_ACCESS_KEY && e.KLING_SECRET_KEY
      ? { type: 'jwt', accessKey: e.KLING_ACCESS_KEY, secretKey: e.KLING_SECRET_KEY }
      : e.KLING_API_KEY
        ? { type: 'apiKey', apiKey: e.KLING_API_KEY }
        : undefined;
  const upstream: UpstreamConfig = credentials
    ? { kind: 'kling', baseUrl: stripSlash(e.KLING_BASE_URL ?? KLING_GLOBAL_BASE_URL), credentials }
    : {
        kind: 'simulator',
        simulator: {
          port: e.SIM_PORT,
          phaseMs: e.SIM_PHASE_MS,
          concurrency: e.SIM_CONCURRENCY,
          strict: e.SIM_STRICT,
          fault: e.SIM_FAULT,
          // So that a studio set up for signed callbacks is exercised that way on the simulator too.
          webhookSecrets: e.SIM_WEBHOOK_SECRET ?? e.KLING_WEBHOOK_SECRET ?? [],
          retiredModels: e.SIM_RETIRED_MODELS ?? [],
          retiredCode: e.SIM_RETIRED_CODE,
          retiredMessage: e.SIM_RETIRED_MESSAGE,
        },
      };

  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(cwd, e.DATA_DIR),
    upstream,
    publicUrl: e.PUBLIC_URL ? stripSlash(e.PUBLIC_URL) : undefined,
    appToken: e.APP_TOKEN,
    sessionMaxAgeS: e.SESSION_MAX_AGE_S,
    webhookSecrets: e.KLING_WEBHOOK_SECRET ?? [],
    walletGuard: { createsPerMinute: e.RATE_LIMIT_CREATES_PER_MIN, maxRunningTasks: e.MAX_RUNNING_TASKS },
    queue: { concurrency: e.KLING_CONCURRENCY, budgetUnitsPerDay: e.BUDGET_UNITS_PER_DAY },
    tracker: { pollMinMs: e.POLL_MIN_MS, pollMaxMs: e.POLL_MAX_MS, confirmWindowMs: e.CONFIRM_WINDOW_MS },
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    urlFetch: {
      timeoutMs: e.URL_FETCH_TIMEOUT_MS,
      allowHosts: e.URL_FETCH_ALLOW_HOSTS.split(',')
        .map((h) => h.trim())
        .filter(Boolean),
    },
    archive: { maxBytes: e.ARCHIVE_MAX_BYTES, timeoutMs: e.ARCHIVE_TIMEOUT_MS },
    minFreeDiskBytes: e.MIN_FREE_DISK_BYTES,
    uploadTtlMs: e.UPLOAD_TTL_MS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    sseHeartbeatMs: e.SSE_HEARTBEAT_MS,
    sseLimits: { perClient: e.SSE_MAX_PER_CLIENT, total: e.SSE_MAX_STREAMS },
    http: {
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
      maxBodiesInFlight: e.MAX_BODIES_IN_FLIGHT,
    },
    logLevel: e.LOG_LEVEL,
    cluster: {
      databaseUrl: e.DATABASE_URL,
      listenUrl: e.DATABASE_LISTEN_URL ?? e.DATABASE_URL,
      leaseMs: e.TRACKER_LEASE_MS,
      // Stable across restarts of the same replica (its host and DATA_DIR), so a restarted process picks up
      // its own leases at once instead of waiting them out; two live processes never share a DATA_DIR.
      replicaId:
        e.REPLICA_ID ??
        `${hostname()}:${createHash('sha256').update(resolve(cwd, e.DATA_DIR)).digest('hex').slice(0, 8)}`,
    },
    s3: e.S3_BUCKET
      ? { bucket: e.S3_BUCKET, endpoint: e.S3_ENDPOINT, region: e.S3_REGION, prefix: e.S3_PREFIX }
      : undefined,
    awsSecretAccessKey: e.AWS_SECRET_ACCESS_KEY,
    trustProxy: e.TRUST_PROXY ?? [],
    retiredModels: e.RETIRED_MODELS ?? [],
    usdPerUnit: e.USD_PER_UNIT,
  };
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Values that must never appear in a response or a log line. */
export function configSecrets(config: Config): string[] {
  const out: string[] = [];
  if (config.appToken) out.push(config.appToken);
  // A database URL's password, and the whole URL (it is a credential as written).
  for (const url of [config.cluster.databaseUrl, config.cluster.listenUrl]) {
    if (!url) continue;
    out.push(url);
    try {
      const password = decodeURIComponent(new URL(url).password);
      if (password) out.push(password);
    } catch {
      // Not parseable as a URL: the whole string is already listed.
    }
  }
  if (config.awsSecretAccessKey) out.push(config.awsSecretAccessKey);
  // With and without the prefix: either form may be what ends up in a message.
  const webhook = [
    ...config.webhookSecrets,
    ...(config.upstream.kind === 'simulator' ? config.upstream.simulator.webhookSecrets : []),
  ];
  for (const s of webhook) out.push(s, s.replace(/^whsec_/, ''));
  if (config.upstream.kind === 'kling') {
    const c = config.upstream.credentials;
    if (c.type === 'jwt') out.push(c.secretKey);
    else out.push(c.apiKey);
  }
  return out;
}

/** Fresh keys for the built-in simulator: nobody outside this process needs them. */
export function randomSimulatorKeys(): { accessKey: string; secretKey: string } {
  return {
    accessKey: `sim-ak-${randomBytes(8).toString('hex')}`,
    secretKey: randomBytes(32).toString('base64url'),
  };
}
