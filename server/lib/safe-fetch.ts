import { lookup as dnsLookup } from 'node:dns/promises';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
  | 'network'
  /** The bytes arrived but could not be stored (ENOSPC, EIO, EDQUOT…): `code` says which. */
  | 'write';

export class SafeFetchError extends Error {
  constructor(
    readonly reason: SafeFetchFailure,
    message: string,
    /** The file system's error code, for `write`. */
    readonly code?: string,
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
  /**
   * One host:port trusted on a private address only for paths under `pathPrefix`, and only for the URL
   * handed in, never for a redirect target: the upstream's own video links (a simulator on loopback).
   */
  exemptFirstHop?: { host: string; pathPrefix: string };
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

/** Host entries as allowHosts holds them: `host:port`, IPv6 without brackets. */
export function hostEntry(url: URL): string {
  return `${url.hostname.replace(/^\[|\]$/g, '')}:${defaultPort(url)}`;
}

/**
 * Validates a URL and resolves it to one permitted address, or throws. Sends nothing. `hop` 0 is the URL
 * handed in; redirect targets are later hops, where `exemptFirstHop` does not apply.
 */
export async function checkUrl(
  raw: string | URL,
  opts: Pick<SafeFetchOptions, 'allowHosts' | 'exemptFirstHop' | 'resolve'>,
  hop = 0,
) {
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
  // The parsed pathname has dot segments (also %2e%2e) resolved, so a prefix cannot be climbed out of.
  const exempt = opts.exemptFirstHop;
  const trusted =
    opts.allowHosts?.has(hostEntry(url)) === true ||
    opts.allowHosts?.has(host) === true ||
    (hop === 0 && exempt?.host === hostEntry(url) && url.pathname.startsWith(exempt.pathPrefix));
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
    const target = await checkUrl(current, opts, hop);
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

export type OpenFile = (path: string) => Writable;

export interface FileFetchOptions extends SafeFetchOptions {
  /** Where the bytes go; injectable so tests can make the disk fail. */
  openFile?: OpenFile;
}

/** Passes bytes through until the cap, then fails the pipeline. */
function sizeCap(maxBytes: number, counted: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      total += chunk.length;
      counted(total);
      if (total > maxBytes) cb(new SafeFetchError('too_large', `the file is larger than ${maxBytes} bytes`));
      else cb(null, chunk);
    },
  });
}

function writeFailure(e: unknown): SafeFetchError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
  return new SafeFetchError('write', `the file could not be written (${code})`, code);
}

/**
 * Streams into `dest` (via a temporary file, renamed when complete), never holding it in memory. Every
 * error ends here as a rejection: a full or failing disk is a failed fetch, never an unhandled 'error'
 * event (which would end the process), and the temporary file is removed whatever happened.
 */
export async function safeFetchToFile(raw: string, dest: string, opts: FileFetchOptions): Promise<number> {
  const partial = `${dest}.partial`;
  let sink: Writable | undefined;
  try {
    return await withDeadline(opts, async (signal) => {
      const res = await open(raw, opts, signal);
      let total = 0;
      const out = (opts.openFile ?? ((p) => createWriteStream(p)))(partial);
      sink = out;
      // Whichever stream fails first is the cause (the pipeline then destroys the others with the same
      // error), so a full disk is reported as a write failure, not as "network".
      let origin: 'response' | 'file' | undefined;
      res.once('error', () => {
        origin ??= 'response';
      });
      out.once('error', () => {
        origin ??= 'file';
      });
      const counted = sizeCap(opts.maxBytes, (t) => {
        total = t;
      });
      try {
        await pipeline(res, counted, out);
      } catch (e) {
        if (origin === 'file' && !(e instanceof SafeFetchError)) throw writeFailure(e);
        throw e;
      }
      try {
        await rename(partial, dest);
      } catch (e) {
        throw writeFailure(e);
      }
      return total;
    });
  } finally {
    // Wait for the file to be closed first: removing it while an open() is still pending would let the
    // open recreate it afterwards.
    if (sink && !sink.closed) {
      if (!sink.destroyed) sink.destroy();
      await Promise.race([once(sink, 'close'), new Promise((r) => setTimeout(r, 1000).unref())]).catch(
        () => {},
      );
    }
    await rm(partial, { force: true }).catch(() => {});
  }
}
