/**
 * Test support (not a test): HTTP/1.1 over a bare TCP socket, for what fetch cannot do — send headers and
 * part of a body then stall, read the answer while still sending, stop reading, or connect from another
 * loopback source address (another client, as far as the studio's per-client limits can tell).
 */
import { connect, type Socket } from 'node:net';

export interface RawExchange {
  socket: Socket;
  /** Everything the server sent so far (latin1). */
  text(): string;
  /** The answer's status and headers, once they arrived. */
  head: Promise<{ status: number; headers: Record<string, string> }>;
  /** Resolves when the connection is gone (either side closed it). */
  closed: Promise<void>;
  /** Writes and resolves once the bytes left this process. */
  send(data: string | Buffer): Promise<void>;
  /** Resolves once the server's bytes satisfy `pred` (rejects after `timeoutMs`). */
  until(pred: (text: string) => boolean, timeoutMs?: number): Promise<string>;
}

export async function rawConnect(url: string, opts: { localAddress?: string } = {}): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  const socket = connect({
    host: hostname,
    port: Number(port),
    ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let received = '';
  const waiters = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
    for (const w of waiters) w();
  });
  // A reset from the server is one way of being cut off; the test looks at `closed`.
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const until = (pred: (text: string) => boolean, timeoutMs = 5000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (!pred(received)) return;
        cleanup();
        resolve(received);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `no matching answer within ${timeoutMs} ms; got ${JSON.stringify(received.slice(0, 300))}`,
          ),
        );
      }, timeoutMs);
      const onClose = () => {
        if (pred(received)) return check();
        cleanup();
        reject(new Error(`connection closed; got ${JSON.stringify(received.slice(0, 300))}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
        socket.off('close', onClose);
      };
      waiters.add(check);
      socket.once('close', onClose);
      check();
    });
  const head = until((t) => t.includes('\r\n\r\n'), 10_000).then(parseHead);
  // Not every exchange waits for a head; an unanswered one must not become an unhandled rejection.
  head.catch(() => {});
  return {
    socket,
    text: () => received,
    head,
    closed,
    until,
    send: (data) =>
      new Promise<void>((resolve, reject) => socket.write(data, (err) => (err ? reject(err) : resolve()))),
  };
}

function parseHead(text: string): { status: number; headers: Record<string, string> } {
  const [statusLine = '', ...lines] = text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers };
}

/** The body of an answer whose head has arrived (no chunked decoding: for short, whole answers). */
export function bodyOf(text: string): string {
  return text.slice(text.indexOf('\r\n\r\n') + 4);
}

/**
 * `POST path` declaring `declared` bytes of JSON, of which only a prefix of about `sendBytes` is sent;
 * then it stalls (the socket stays open and writable).
 */
export async function stalledUpload(
  url: string,
  opts: { declared: number; sendBytes: number; path?: string; localAddress?: string },
): Promise<RawExchange> {
  const x = await rawConnect(url, opts.localAddress ? { localAddress: opts.localAddress } : {});
  const { host } = new URL(url);
  const prefix = `{"model_name":"kling-v1","prompt":"stalled","image":"`;
  await x.send(
    `POST ${opts.path ?? '/api/tasks'} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${opts.declared}\r\n\r\n${prefix}${'A'.repeat(Math.max(0, opts.sendBytes - prefix.length))}`,
  );
  return x;
}
