import { type ClientRequest, get, type IncomingMessage } from 'node:http';

/** What a stream's `task` event carried, and when its bytes arrived here (Date.now()). */
export interface TaskEventSeen {
  id: string;
  status: string;
  updatedAt: number;
  at: number;
}

export interface SseStream {
  /** Resolves once the server's first comment (`: connected`) arrived: the subscription is live. */
  ready: Promise<void>;
  close(): void;
}

/**
 * GET /api/events on a connection of its own (node:http, no pool), light enough for thousands in one
 * process: each `task` event is handed to `onTask` with the time its chunk arrived, taken before any
 * parsing, so a reader busy with other streams' chunks delays only what it must.
 */
export function openSse(base: string, onTask: (seen: TaskEventSeen) => void): SseStream {
  let req: ClientRequest | undefined;
  let res: IncomingMessage | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    req = get(`${base}/api/events`, { agent: false }, (answer) => {
      res = answer;
      if (answer.statusCode !== 200) {
        reject(new Error(`GET /api/events answered ${answer.statusCode}`));
        answer.resume();
        return;
      }
      answer.setEncoding('utf8');
      let buffer = '';
      answer.on('data', (chunk: string) => {
        const at = Date.now();
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(': connected')) resolve();
          else if (block.startsWith('event: task')) {
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n');
            const { task } = JSON.parse(data) as { task: { id: string; status: string; updatedAt: number } };
            onTask({ id: task.id, status: task.status, updatedAt: task.updatedAt, at });
          }
          end = buffer.indexOf('\n\n');
        }
      });
      answer.on('error', () => {});
    });
    req.on('error', reject);
  });
  return {
    ready,
    close() {
      res?.destroy();
      req?.destroy();
    },
  };
}
