import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBlockedAddress } from './address-policy.ts';
import { checkUrl, type Resolver, SafeFetchError, safeFetchBuffer, safeFetchToFile } from './safe-fetch.ts';

/**
 * Refusals are proved by resolution and rejection only: names are resolved by an injected resolver, and the
 * one local server that a refused name points at records that nobody connected.
 */
let server: Server;
let port: number;
let connections = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
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
