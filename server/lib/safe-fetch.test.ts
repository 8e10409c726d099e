import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isBlockedAddress } from './address-policy.ts';
import { checkUrl, type Resolver, SafeFetchError, safeFetchBuffer, safeFetchToFile } from './safe-fetch.ts';

/**
 * Refusals are proved by resolution and rejection only: names are resolved by an injected resolver, and the
 * one local server that a refused name points at records that nobody connected.
 */
let server: Server;
let port: number;
let connections = 0;
const requested: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    if (req.url === '/big') return res.end(Buffer.alloc(2 * 1024 * 1024));
    if (req.url === '/big-chunked') {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 40; i++) res.write(Buffer.alloc(64 * 1024));
      return res.end();
    }
    if (req.url === '/hang') return;
    if (req.url === '/to-metadata')
      return res.writeHead(302, { location: 'http://169.254.169.254/latest' }).end();
    if (req.url === '/to-small') return res.writeHead(302, { location: '/small' }).end();
    if (req.url === '/videos/to-videos') return res.writeHead(302, { location: '/videos/ok' }).end();
    if (req.url === '/cut') {
      res.writeHead(200, { 'content-length': '100000' });
      res.write(Buffer.alloc(1000));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    res.end('hello');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const resolveTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('address policy', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows %s',
    (address) => {
      expect(isBlockedAddress(address)).toBe(false);
    },
  );
});

describe('checkUrl', () => {
  it.each([
    ['ftp://example.com/a.png', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['gopher://example.com', 'scheme'],
    ['http://user:pw@example.com/a.png', 'scheme'],
    ['not a url', 'scheme'],
    ['http://127.0.0.1/a.png', 'blocked_address'],
    ['http://[::1]/a.png', 'blocked_address'],
    ['http://169.254.169.254/latest/meta-data', 'blocked_address'],
    ['http://0x7f000001/', 'blocked_address'],
  ])('%s → %s', async (url, reason) => {
    const err = await checkUrl(url, { resolve: resolveTo('93.184.216.34') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SafeFetchError);
    expect((err as SafeFetchError).reason).toBe(reason);
  });

  it('refuses a name when any of its addresses is private (rebinding by multiple answers)', async () => {
    const err = await checkUrl('http://mixed.example/', {
      resolve: resolveTo('93.184.216.34', '10.0.0.7'),
    }).catch((e: unknown) => e);
    expect((err as SafeFetchError).reason).toBe('blocked_address');
  });

  it('pins the connection to the checked address of a public name', async () => {
    const target = await checkUrl('https://cdn.example/v.mp4', { resolve: resolveTo('93.184.216.34') });
    expect(target).toMatchObject({ address: '93.184.216.34', family: 4 });
  });

  it('exempts the upstream only for its own path prefix, on the URL handed in', async () => {
    const exemptFirstHop = { host: `127.0.0.1:${port}`, pathPrefix: '/videos/' };
    await expect(checkUrl(`http://127.0.0.1:${port}/videos/ok`, { exemptFirstHop })).resolves.toBeTruthy();
    for (const url of [
      `http://127.0.0.1:${port}/__sim/requests`,
      `http://127.0.0.1:${port}/videos`,
      `http://127.0.0.1:${port}/videos/../requests`,
      `http://127.0.0.1:${port}/videos/%2e%2e/requests`,
      `http://127.0.0.1:${port + 1}/videos/ok`,
    ]) {
      const err = await checkUrl(url, { exemptFirstHop }).catch((e: unknown) => e);
      expect((err as SafeFetchError).reason, url).toBe('blocked_address');
    }
    // A redirect target is a later hop: the exemption never applies there.
    const hop = await checkUrl(`http://127.0.0.1:${port}/videos/ok`, { exemptFirstHop }, 1).catch(
      (e: unknown) => e,
    );
    expect((hop as SafeFetchError).reason).toBe('blocked_address');
  });

  it('trusts only the listed host:port (the configured upstream)', async () => {
    const allowHosts = new Set([`127.0.0.1:${port}`]);
    await expect(checkUrl(`http://127.0.0.1:${port}/x`, { allowHosts })).resolves.toBeTruthy();
    const other = await checkUrl(`http://127.0.0.1:${port + 1}/x`, { allowHosts }).catch((e: unknown) => e);
    expect((other as SafeFetchError).reason).toBe('blocked_address');
  });
});

describe('safe fetch', () => {
  const trusted = () => ({
    allowHosts: new Set([`127.0.0.1:${port}`]),
    timeoutMs: 1000,
    maxBytes: 1024 * 1024,
  });

  it('never connects to a name that resolves to a private address', async () => {
    const before = connections;
    const err = await safeFetchBuffer(`http://evil.example:${port}/`, {
      maxBytes: 1000,
      timeoutMs: 1000,
      resolve: resolveTo('127.0.0.1'),
    }).catch((e: unknown) => e);
    expect((err as SafeFetchError).reason).toBe('blocked_address');
    expect(connections).toBe(before);
  });

  it('fetches from a trusted host', async () => {
    const { bytes } = await safeFetchBuffer(`http://127.0.0.1:${port}/small`, trusted());
    expect(bytes.toString()).toBe('hello');
  });

  it('caps the size by Content-Length and while streaming', async () => {
    for (const path of ['/big', '/big-chunked']) {
      const err = await safeFetchBuffer(`http://127.0.0.1:${port}${path}`, trusted()).catch(
        (e: unknown) => e,
      );
      expect((err as SafeFetchError).reason, path).toBe('too_large');
    }
  });

  it('gives up at the deadline', async () => {
    const err = await safeFetchBuffer(`http://127.0.0.1:${port}/hang`, {
      ...trusted(),
      timeoutMs: 150,
    }).catch((e: unknown) => e);
    expect((err as SafeFetchError).reason).toBe('timeout');
  });

  it('checks every redirect hop', async () => {
    const err = await safeFetchBuffer(`http://127.0.0.1:${port}/to-metadata`, trusted()).catch(
      (e: unknown) => e,
    );
    expect((err as SafeFetchError).reason).toBe('blocked_address');
    const ok = await safeFetchBuffer(`http://127.0.0.1:${port}/to-small`, trusted());
    expect(ok.bytes.toString()).toBe('hello');
  });

  it('never follows a redirect onto the exempted upstream, even within its own prefix', async () => {
    const exemptFirstHop = { host: `127.0.0.1:${port}`, pathPrefix: '/videos/' };
    const before = requested.length;
    const err = await safeFetchBuffer(`http://127.0.0.1:${port}/videos/to-videos`, {
      maxBytes: 1000,
      timeoutMs: 1000,
      exemptFirstHop,
    }).catch((e: unknown) => e);
    expect((err as SafeFetchError).reason).toBe('blocked_address');
    // The first hop was fetched; the redirect target was refused before it was asked for.
    expect(requested.slice(before)).toEqual(['/videos/to-videos']);
  });

  it('a connection cut mid-body is a network failure, not a disk one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'safe-fetch-'));
    const err = await safeFetchToFile(`http://127.0.0.1:${port}/cut`, join(dir, 'v'), trusted()).catch(
      (e: unknown) => e,
    );
    expect((err as SafeFetchError).reason).toBe('network');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('streams to a file and leaves nothing behind on failure', async () => {
    const { mkdtempSync, existsSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'safe-fetch-'));
    expect(await safeFetchToFile(`http://127.0.0.1:${port}/small`, join(dir, 'a'), trusted())).toBe(5);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('hello');
    const err = await safeFetchToFile(
      `http://127.0.0.1:${port}/big-chunked`,
      join(dir, 'b'),
      trusted(),
    ).catch((e: unknown) => e);
    expect((err as SafeFetchError).reason).toBe('too_large');
    expect(existsSync(join(dir, 'b'))).toBe(false);
    expect(existsSync(join(dir, 'b.partial'))).toBe(false);
  });
});

/**
 * A full disk (security review 2026-12, finding 2): a write error used to be an unhandled 'error' event,
 * which kills the process. Now it rejects like any other failed fetch and leaves no `.partial` behind.
 */
describe('safe fetch to a file on a failing disk', () => {
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  beforeAll(() => {
    process.on('uncaughtException', onUncaught);
  });
  afterAll(() => {
    process.off('uncaughtException', onUncaught);
  });
  afterEach(async () => {
    // A stray 'error' event would surface on a later turn of the event loop.
    await new Promise((r) => setTimeout(r, 50));
    expect(uncaught).toEqual([]);
  });

  const trusted = () => ({
    allowHosts: new Set([`127.0.0.1:${port}`]),
    timeoutMs: 2000,
    maxBytes: 8 * 1024 * 1024,
  });
  const diskError = (code: string) =>
    Object.assign(new Error(`${code}: simulated write failure`), { code, errno: -28, syscall: 'write' });

  /** A real file that takes the first chunk and then fails every write, as a filling disk does. */
  const fillsUpAfterOneChunk = (code: string) => (path: string) => {
    const real = createWriteStream(path);
    let chunks = 0;
    return new Writable({
      write(chunk, _enc, cb) {
        if (chunks++ === 0) real.write(chunk, cb);
        else cb(diskError(code));
      },
      final(cb) {
        real.end(cb);
      },
      destroy(err, cb) {
        real.destroy();
        real.once('close', () => cb(err));
      },
    });
  };

  it.each(['ENOSPC', 'EIO', 'EDQUOT'])(
    'a write failing with %s rejects, and no .partial is left',
    async (code) => {
      const dir = mkdtempSync(join(tmpdir(), 'safe-fetch-disk-'));
      const dest = join(dir, 'v.mp4');
      const err = await safeFetchToFile(`http://127.0.0.1:${port}/big-chunked`, dest, {
        ...trusted(),
        openFile: fillsUpAfterOneChunk(code),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SafeFetchError);
      expect(err).toMatchObject({ reason: 'write', code });
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  it('a file that cannot even be opened rejects (no listener-less error event)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'safe-fetch-disk-'));
    const dest = join(dir, 'v.mp4');
    // A directory where the temporary file goes: open() fails with EISDIR, on the real file system.
    mkdirSync(`${dest}.partial`);
    const err = await safeFetchToFile(`http://127.0.0.1:${port}/small`, dest, trusted()).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ reason: 'write', code: 'EISDIR' });
    expect(existsSync(dest)).toBe(false);
  });

  it('a stream that fails on its very first write rejects too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'safe-fetch-disk-'));
    const err = await safeFetchToFile(`http://127.0.0.1:${port}/small`, join(dir, 'v.mp4'), {
      ...trusted(),
      openFile: () =>
        new Writable({
          write(_chunk, _enc, cb) {
            cb(diskError('ENOSPC'));
          },
        }),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'write', code: 'ENOSPC' });
    expect(readdirSync(dir)).toEqual([]);
  });
});
