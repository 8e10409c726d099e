import { lookup as dnsLookup } from 'node:dns/promises';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isBlockedAddress } from './address-policy.ts';

/**
 * The one way the studio fetches a URL it was handed (a creator's image URL, Kling's result video):
 * http(s) only; the host is resolved and every address checked BEFORE connecting, and the connection is
 * pinned to the checked address (so DNS rebinding cannot swap it); redirects are re-checked hop by hop;
 * the body is size-capped while streaming and the whole exchange has a deadline.
 */
export type SafeFetchFailure =
  | 'scheme'
  | 'blocked_address'
  | 'dns'
  | 'too_large'
  | 'timeout'
  | 'http_status'
  | 'too_many_redirects'
  | 'network';

export class SafeFetchError extends Error {
  constructor(
    readonly reason: SafeFetchFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SafeFetchError';
  }
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface SafeFetchOptions {
  maxBytes: number;
  timeoutMs: number;
  /**
   * `host:port` (or bare `host`) entries trusted even on private addresses: the configured upstream, so
   * the simulator on loopback can serve its videos. Nothing a creator controls goes in here.
   */
  allowHosts?: ReadonlySet<string>;
  /** DNS resolution, injectable so tests can prove refusals without any traffic. */
  resolve?: Resolver;
  maxRedirects?: number;
}

const defaultResolve: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface CheckedTarget {
  url: URL;
  /** The address the connection is pinned to. */
  address: string;
  family: 4 | 6;
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** Validates a URL and resolves it to one permitted address, or throws. Sends nothing. */
export async function checkUrl(raw: string | URL, opts: Pick<SafeFetchOptions, 'allowHosts' | 'resolve'>) {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SafeFetchError('scheme', 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new SafeFetchError('scheme', `only http and https URLs can be fetched (got ${url.protocol})`);
  if (url.username || url.password) throw new SafeFetchError('scheme', 'URLs with credentials are refused');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const trusted =
    opts.allowHosts?.has(`${host}:${defaultPort(url)}`) === true || opts.allowHosts?.has(host) === true;
  let candidates: { address: string; family: number }[];
  if (isIP(host)) candidates = [{ address: host, family: isIP(host) }];
  else {
    try {
      candidates = await (opts.resolve ?? defaultResolve)(host);
    } catch {
      throw new SafeFetchError('dns', `the host ${host} could not be resolved`);
    }
  }
  if (candidates.length === 0) throw new SafeFetchError('dns', `the host ${host} has no address`);
  // Refuse when ANY address is private: a host answering both lets an attacker pick per connection.
  if (!trusted && candidates.some((c) => isBlockedAddress(c.address)))
    throw new SafeFetchError(
      'blocked_address',
      `${host} points at a private, loopback or link-local address, which the studio does not fetch`,
    );
  const first = candidates[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 } satisfies CheckedTarget;
}

function pinnedLookup(target: CheckedTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if (typeof options === 'object' && options.all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else callback(null, target.address, target.family);
  };
}

function requestOnce(target: CheckedTarget, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const mod = target.url.protocol === 'https:' ? https : http;
    const req = mod.request(target.url, {
      method: 'GET',
      lookup: pinnedLookup(target),
      signal,
      headers: { 'user-agent': 'motion-studio', accept: '*/*' },
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
}

/** Opens the URL (following checked redirects) and returns the response with a 2xx status. */
async function open(raw: string, opts: SafeFetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  let current = raw;
  for (let hop = 0; hop <= (opts.maxRedirects ?? 3); hop++) {
    const target = await checkUrl(current, opts);
    const res = await requestOnce(target, signal);
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      current = new URL(res.headers.location, target.url).toString();
      continue;
    }
    if (status < 200 || status >= 300) {
      res.resume();
      throw new SafeFetchError('http_status', `the server answered HTTP ${status}`);
    }
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      res.destroy();
      throw new SafeFetchError('too_large', `the file is larger than ${opts.maxBytes} bytes`);
    }
    return res;
  }
  throw new SafeFetchError('too_many_redirects', 'too many redirects');
}

async function withDeadline<T>(opts: SafeFetchOptions, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
  try {
    return await run(controller.signal);
  } catch (e) {
    if (e instanceof SafeFetchError) throw e;
    if (controller.signal.aborted)
      throw new SafeFetchError('timeout', `no complete answer within ${opts.timeoutMs} ms`);
    throw new SafeFetchError('network', e instanceof Error ? e.message : 'network error');
  } finally {
    clearTimeout(timer);
  }
}

/** Fetches into memory; `maxBytes` + 1 is never exceeded, and `truncated` says the cap was hit. */
export async function safeFetchBuffer(
  raw: string,
  opts: SafeFetchOptions,
): Promise<{ bytes: Buffer; contentType: string | undefined }> {
  return withDeadline(opts, async (signal) => {
    const res = await open(raw, opts, signal);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of res) {
      total += (chunk as Buffer).length;
      if (total > opts.maxBytes) {
        res.destroy();
        throw new SafeFetchError('too_large', `the file is larger than ${opts.maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return { bytes: Buffer.concat(chunks), contentType: res.headers['content-type'] };
  });
}

/** Streams into `dest` (via a temporary file, renamed when complete), never holding it in memory. */
export async function safeFetchToFile(raw: string, dest: string, opts: SafeFetchOptions): Promise<number> {
  const partial = `${dest}.partial`;
  try {
    return await withDeadline(opts, async (signal) => {
      const res = await open(raw, opts, signal);
      const out = createWriteStream(partial);
      let total = 0;
      try {
        for await (const chunk of res) {
          total += (chunk as Buffer).length;
          if (total > opts.maxBytes) {
            res.destroy();
            throw new SafeFetchError('too_large', `the file is larger than ${opts.maxBytes} bytes`);
          }
          if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        }
      } finally {
        await new Promise<void>((resolve, reject) =>
          out.end((err?: Error | null) => (err ? reject(err) : resolve())),
        );
      }
      await rename(partial, dest);
      return total;
    });
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
}
