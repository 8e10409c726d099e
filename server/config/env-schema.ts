import { z } from 'zod';
import { isModelName, MODEL_NAMES, type ModelName } from '../../contract/capabilities/matrix.ts';
import { DEFAULT_USD_PER_UNIT } from '../../contract/pricing/prices.ts';
import { trustProxyEntryProblem } from '../lib/ip-address.ts';
import { decodeWebhookSecret } from './webhook-key.ts';

/**
 * Every environment variable the studio reads, with its default. Parsed once at boot (config.ts);
 * nothing else in server/ reads process.env. Empty strings count as unset, as in most .env tooling.
 */
const unsetIfEmpty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.preprocess(unsetIfEmpty, schema.default(fallback as never));

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
const secret = z.string().trim().min(6, 'looks too short to be a real key (at least 6 characters)');
/** A comma-separated list, entries trimmed, empty ones (`a,,b`, a trailing comma) dropped. */
const commaList = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
/** Comma-separated Standard Webhooks secrets (`whsec_…`); several during a rotation. Never echoed. */
const webhookSecrets = commaList.superRefine((list, ctx) => {
  list.forEach((s, i) => {
    try {
      decodeWebhookSecret(s);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `secret ${i + 1} ${(e as Error).message}` });
    }
  });
});

/** Comma-separated model names; a typo would retire nothing and silently let the model cost money. */
const modelList = commaList
  .superRefine((list, ctx) => {
    const unknown = list.filter((m) => !isModelName(m));
    if (unknown.length)
      ctx.addIssue({
        code: 'custom',
        message: `unknown model${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${MODEL_NAMES.join(', ')})`,
      });
  })
  .transform((list) => [...new Set(list)] as ModelName[]);

/** Comma-separated addresses and CIDR ranges; each one is checked (and named when it is wrong). */
const trustProxyList = commaList.superRefine((list, ctx) => {
  for (const entry of list) {
    const problem = trustProxyEntryProblem(entry);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }
});

export const envSchema = z.object({
  PORT: withDefault(int(0, 65535), 8787),
  HOST: withDefault(z.string().trim().min(1), '127.0.0.1'),
  DATA_DIR: withDefault(z.string().trim().min(1), './data'),

  KLING_ACCESS_KEY: opt(secret),
  KLING_SECRET_KEY: opt(secret),
  KLING_API_KEY: opt(secret),
  KLING_BASE_URL: opt(httpUrl),

  PUBLIC_URL: opt(httpUrl),
  APP_TOKEN: opt(z.string().min(12, 'must be at least 12 characters, or unset')),
  /** How long a login's session cookie lasts (the cookie's Max-Age, and the server refuses older ones). */
  SESSION_MAX_AGE_S: withDefault(int(60, 400 * 24 * 3600), 30 * 24 * 3600),
  /** When set, a callback needs a valid signature by one of these (and a fresh, unseen webhook-id). */
  KLING_WEBHOOK_SECRET: opt(webhookSecrets),

  /**
   * Wallet guard: creates per client per minute (a batch is one; 0 = off) and tasks the studio holds
   * unfinished at once, queued or running (0 = off). Above a batch's 20 frames, so another creator's single
   * task is not refused while one batch waits.
   */
  RATE_LIMIT_CREATES_PER_MIN: withDefault(int(0), 20),
  MAX_RUNNING_TASKS: withDefault(int(0), 100),
  /** The queue: tasks sent to Kling at once (the account plan's concurrency; a 1303 teaches a lower one). */
  KLING_CONCURRENCY: withDefault(int(1, 1000), 5),
  /** Units a day the studio may spend (tasks sent or queued, by the price table); 0 = no cap. */
  BUDGET_UNITS_PER_DAY: withDefault(z.coerce.number().min(0).max(1e9), 0),

  /**
   * Cluster mode. DATABASE_URL (postgres://…) keeps state in PostgreSQL instead of DATA_DIR/studio.db;
   * DATABASE_LISTEN_URL is the connection LISTEN/NOTIFY uses (default DATABASE_URL; point it past a
   * transaction-mode pooler). TRACKER_LEASE_MS: how long a replica's hold on a task (or on the queue)
   * lasts without renewal before another replica takes over. REPLICA_ID names this process in
   * /api/health and in leases (default: host name and pid).
   */
  DATABASE_URL: opt(
    z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  ),
  DATABASE_LISTEN_URL: opt(
    z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  ),
  TRACKER_LEASE_MS: withDefault(int(500, 3600_000), 15_000),
  REPLICA_ID: opt(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits and ._:- only (1–64)'),
  ),
  /**
   * Files in S3-compatible storage (inputs, uploads, archived videos) when S3_BUCKET is set; credentials
   * come from the usual AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE…).
   * S3_ENDPOINT for MinIO, R2 and the like (path-style addressing is then used).
   */
  S3_BUCKET: opt(
    z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  ),
  S3_ENDPOINT: opt(httpUrl),
  S3_REGION: withDefault(z.string().trim().min(1), 'us-east-1'),
  AWS_SECRET_ACCESS_KEY: opt(z.string()),
  S3_PREFIX: withDefault(
    z
      .string()
      .trim()
      .regex(/^([A-Za-z0-9._-]+\/)*$/, 'a key prefix ending in /, or empty'),
    '',
  ),
  /**
   * TRUST_PROXY: the proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDRs, e.g.
   * `10.0.0.0/8,127.0.0.1`, IPv6 too); behind them the client is the first address from the right that is
   * not one of them (server/http/client-address.ts). Unset: the socket's peer is the client, whatever the
   * headers say. A bad entry is refused at boot: a typo would silently trust nobody, or the wrong hosts.
   */
  TRUST_PROXY: opt(trustProxyList),

  /** Tracker polling: first interval, ceiling, and how long an unanswered create is looked for. */
  POLL_MIN_MS: withDefault(int(10), 2000),
  POLL_MAX_MS: withDefault(int(10), 30_000),
  CONFIRM_WINDOW_MS: withDefault(int(0), 10 * 60_000),

  UPSTREAM_TIMEOUT_MS: withDefault(int(50), 30_000),
  URL_FETCH_TIMEOUT_MS: withDefault(int(50), 15_000),
  /** Hosts (`host:port` or `host`) server-side fetches may reach on private addresses; for local setups. */
  URL_FETCH_ALLOW_HOSTS: withDefault(z.string(), ''),
  ARCHIVE_MAX_BYTES: withDefault(int(1024), 512 * 1024 * 1024),
  ARCHIVE_TIMEOUT_MS: withDefault(int(100), 120_000),
  /** Creates are refused (507) while DATA_DIR has less free space than this (bytes; 0 = off). */
  MIN_FREE_DISK_BYTES: withDefault(int(0), 1024 ** 3),
  /** An uploaded reference video no unfinished task uses is removed this long after its upload (ms). */
  UPLOAD_TTL_MS: withDefault(int(1000), 24 * 3600_000),
  /** Two 10 MB images as base64 (+33 %) plus seven masks fit comfortably. */
  BODY_LIMIT_BYTES: withDefault(int(1024), 48 * 1024 * 1024),
  SSE_HEARTBEAT_MS: withDefault(int(50), 15_000),
  /** Create bodies being read at once (beyond: 503 + Retry-After): a stalled upload holds what it sent. */
  MAX_BODIES_IN_FLIGHT: withDefault(int(1), 4),
  /** The whole request must arrive within REQUEST_TIMEOUT_MS, its headers within HEADERS_TIMEOUT_MS. */
  REQUEST_TIMEOUT_MS: withDefault(int(100), 60_000),
  HEADERS_TIMEOUT_MS: withDefault(int(100), 15_000),
  /** Open /api/events streams per client address and in total (beyond: 503 + Retry-After). */
  SSE_MAX_PER_CLIENT: withDefault(int(1), 50),
  SSE_MAX_STREAMS: withDefault(int(1), 1000),
  LOG_LEVEL: withDefault(z.enum(['debug', 'info', 'warn', 'error']), 'info'),
  /** Models Kling no longer offers (comma-separated): shown disabled with a note, creates refused before sending. */
  RETIRED_MODELS: opt(modelList),
  /** US dollars per Kling unit, for the money shown beside units (Kling's table: 1 unit ≈ US$0.14). */
  USD_PER_UNIT: withDefault(z.coerce.number().positive().max(1000), DEFAULT_USD_PER_UNIT),

  /** The built-in simulator (used when no Kling keys are set). */
  SIM_PORT: withDefault(int(0, 65535), 0),
  SIM_PHASE_MS: opt(int(0)),
  SIM_CONCURRENCY: opt(int(1)),
  SIM_STRICT: opt(bool),
  /** The simulator's default fault, in its own words (`1303`, `creates:fail`, `queries:5000`…). */
  SIM_FAULT: opt(z.string()),
  /** The built-in simulator signs its callbacks with these; by default KLING_WEBHOOK_SECRET's. */
  SIM_WEBHOOK_SECRET: opt(webhookSecrets),
  /** Models the built-in simulator answers as gone from Kling (comma-separated), with this code and message. */
  SIM_RETIRED_MODELS: opt(commaList),
  /** One of Kling's business codes (default 1203); its HTTP status comes with it. */
  SIM_RETIRED_CODE: opt(int(1000, 9999)),
  SIM_RETIRED_MESSAGE: opt(z.string()),
});

export type Env = z.infer<typeof envSchema>;
