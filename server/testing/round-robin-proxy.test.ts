import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RoundRobinProxy, startRoundRobinProxy } from './round-robin-proxy.ts';

interface Backend {
  name: string;
  url: string;
  server: Server;
  sockets: Set<Socket>;
  /** Requests this backend saw, with the headers and body it got. */
  seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

const started: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of started.splice(0).reverse()) await s.close();
});

async function backend(
  name: string,
  handle?: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Backend> {
  const sockets = new Set<Socket>();
  const seen: Backend['seen'] = [];
  const server = createServer((req, res) => {
    if (handle) return handle(req, res);
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain', 'x-backend': name }).end(`${name}:${body}`);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  let closed: Promise<void> | undefined;
  const b: Backend = {
    name,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    sockets,
    seen,
    close: () => {
      closed ??= new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
  started.push(b);
  return b;
}

async function proxyTo(targets: string[]): Promise<RoundRobinProxy> {
  const p = await startRoundRobinProxy(targets);
  started.push(p);
  return p;
}

describe('round-robin proxy', () => {
  it('sends each request to the next replica in turn, with its body and X-Forwarded-For', async () => {
    const backends = await Promise.all(['a', 'b', 'c'].map((n) => backend(n)));
    const proxy = await proxyTo(backends.map((b) => b.url));
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${proxy.url}/api/x?i=${i}`, {
        method: 'POST',
        headers: { 'x-forwarded-for': '203.0.113.7' },
        body: `n${i}`,
      });
      answers.push(await res.text());
    }
    expect(answers).toEqual(['a:n0', 'b:n1', 'c:n2', 'a:n3', 'b:n4', 'c:n5']);
    expect(proxy.served).toEqual([2, 2, 2]);
    const first = backends[0]!.seen[0]!;
    expect(first.url).toBe('/api/x?i=0');
    expect(first.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
  });

  it('skips a replica that refuses the connection, so clients never see it', async () => {
    const backends = await Promise.all(['a', 'b', 'c'].map((n) => backend(n)));
    const proxy = await proxyTo(backends.map((b) => b.url));
    await backends[1]!.close();
    const answers: string[] = [];
    for (let i = 0; i < 4; i++)
      answers.push(await (await fetch(proxy.url, { method: 'POST', body: String(i) })).text());
    expect(answers).toEqual(['a:0', 'c:1', 'a:2', 'c:3']);
    expect(proxy.served).toEqual([2, 0, 2]);
  });

  it('answers 502 when no replica accepts', async () => {
    const dead = await backend('dead');
    const proxy = await proxyTo([dead.url]);
    await dead.close();
    expect((await fetch(proxy.url)).status).toBe(502);
  });

  it('streams an answer as it is written (SSE), and a reader leaving closes the replica side', async () => {
    let release: () => void = () => {};
    const replicaClosed = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sse = await backend('sse', (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': connected\n\n');
      req.socket.on('close', () => release());
    });
    const proxy = await proxyTo([sse.url]);
    const controller = new AbortController();
    const res = await fetch(`${proxy.url}/api/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    // The replica never ends this answer: the first chunk arrives only if the proxy streams.
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe(': connected\n\n');
    controller.abort();
    await replicaClosed;
  });

  it('cuts a client stream when its replica dies mid-answer', async () => {
    const dying = await backend('dying', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': connected\n\n');
    });
    const proxy = await proxyTo([dying.url]);
    const res = await fetch(`${proxy.url}/api/events`);
    const reader = res.body!.getReader();
    await reader.read();
    await dying.close();
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return 'ended';
      })(),
    ).rejects.toThrow();
  });
});
