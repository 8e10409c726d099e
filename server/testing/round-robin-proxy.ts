import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Test and bench support (not a test): the load balancer in front of a cluster of studios. Each request
 * goes to the next replica in turn; one that refuses the connection (it was killed) is skipped for the
 * next, as a balancer's health check would, so a dead replica is invisible to clients. Bodies stream both
 * ways (SSE included, chunk by chunk); X-Forwarded-For gets the client's address appended, so replicas
 * started with TRUST_PROXY=127.0.0.1 see the client behind it.
 */
export interface RoundRobinProxy {
  url: string;
  /** Requests answered per target, in the order the targets were given. */
  served: number[];
  close(): Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection, not to the message a proxy passes on. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

function endToEnd(headers: IncomingMessage['headers']): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

/** `targets`: replica base URLs (`http://127.0.0.1:<port>`). */
export async function startRoundRobinProxy(targets: readonly string[]): Promise<RoundRobinProxy> {
  if (targets.length === 0) throw new Error('a proxy needs at least one target');
  const upstreams = targets.map((t) => new URL(t));
  const served = upstreams.map(() => 0);
  const sockets = new Set<Socket>();
  let next = 0;

  const forward = (req: IncomingMessage, res: ServerResponse, tried: number) => {
    if (tried >= upstreams.length) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end('no replica accepted the connection');
      return;
    }
    const index = next;
    next = (next + 1) % upstreams.length;
    const target = upstreams[index]!;
    const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');
    const headers = { ...endToEnd(req.headers), 'x-forwarded-for': forwardedFor };
    const upstream = request({
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers,
      // One connection per request: a pooled socket to a killed replica would fail after the body was sent.
      agent: false,
    });
    let connected = false;
    upstream.on('socket', (socket) => {
      socket.once('connect', () => {
        connected = true;
        req.pipe(upstream);
      });
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      // Refused before a byte of the request left: nothing was consumed, so the next replica can have it.
      if (!connected && err.code === 'ECONNREFUSED') return forward(req, res, tried + 1);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(err.message);
      else res.destroy(err);
    });
    upstream.on('response', (answer) => {
      served[index]!++;
      res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
      // SSE: the client must see the headers (and then each event) at once, not when a buffer fills.
      res.flushHeaders();
      answer.pipe(res);
      // A replica killed mid-stream: the client sees its stream cut, as behind a real balancer.
      answer.on('error', () => {}); // its 'close' below does what is needed
      answer.on('close', () => {
        if (!answer.complete) res.destroy();
      });
    });
    // The client went away (an SSE reader closing): stop the replica's side too.
    req.on('error', () => upstream.destroy());
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
  };

  const server = createServer((req, res) => forward(req, res, 0));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
