/**
 * A logger that cannot leak secrets: every line passes through `redact` after formatting, so a key that
 * sneaks into a message, an error or a field is replaced no matter how it got there.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Adds a value to redact from now on (for secrets learnt after start, such as the simulator's keys). */
  addSecret(secret: string | undefined): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Any signed JWT (header.payload.signature, both first parts JSON objects in base64url). */
const JWT_RE = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+/g;
const BEARER_RE = /(Bearer\s+)[^\s"',}]+/gi;
/** Callback tokens are per-task secrets; their URLs must not reach the log either. */
const CALLBACK_RE = /(\/api\/callbacks\/kling\/)[A-Za-z0-9_-]+/g;
/** So are the signatures in the links Kling downloads a reference video from (`/api/uploads/<id>/<task>/<sig>/…`). */
const UPLOAD_LINK_RE = /(\/api\/uploads\/[A-Za-z0-9-]+\/[A-Za-z0-9-]+\/)[A-Za-z0-9_-]+/g;
const MAX_STRING = 300;
const MAX_DEPTH = 4;

export function createRedactor(initial: readonly (string | undefined)[] = []) {
  const secrets = new Set<string>();
  const add = (s: string | undefined) => {
    // Very short values would redact ordinary words; config refuses such secrets anyway.
    if (s && s.length >= 6) secrets.add(s);
  };
  initial.forEach(add);
  const redact = (text: string): string => {
    let out = text.replace(JWT_RE, '[redacted-jwt]').replace(BEARER_RE, '$1[redacted]');
    out = out.replace(CALLBACK_RE, '$1[redacted]').replace(UPLOAD_LINK_RE, '$1[redacted]');
    for (const s of secrets) out = out.split(s).join('[redacted]');
    return out;
  };
  return { add, redact };
}

/** JSON for log fields: bounded depth and string length, so a 40 MB base64 image never lands in a log. */
export function safeStringify(value: unknown): string {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string')
      return v.length > MAX_STRING ? `${v.slice(0, MAX_STRING)}…(${v.length} chars)` : v;
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Error) return { name: v.name, message: walk(v.message, depth + 1), code: codeOf(v) };
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '[circular]';
    if (depth >= MAX_DEPTH) return Array.isArray(v) ? `[array(${v.length})]` : '[object]';
    seen.add(v);
    if (Array.isArray(v)) return v.slice(0, 20).map((x) => walk(x, depth + 1));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, depth + 1)]));
  };
  return JSON.stringify(walk(value, 0)) ?? '';
}

function codeOf(e: Error): unknown {
  return 'code' in e ? (e as { code: unknown }).code : undefined;
}

export function createLogger(
  opts: { secrets?: readonly (string | undefined)[]; level?: LogLevel; write?: (line: string) => void } = {},
): Logger {
  const redactor = createRedactor(opts.secrets);
  const min = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (ORDER[level] < min) return;
    const tail = fields && Object.keys(fields).length ? ` ${safeStringify(fields)}` : '';
    write(redactor.redact(`${new Date().toISOString()} ${level.padEnd(5)} ${msg}${tail}`));
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    addSecret: redactor.add,
  };
}

/** A logger that keeps its lines, for tests that assert on what would have been logged. */
export function memoryLogger(secrets: readonly string[] = []): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ secrets, level: 'debug', write: (l) => lines.push(l) });
  return Object.assign(logger, { lines });
}
