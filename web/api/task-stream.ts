import type { QueryClient } from '@tanstack/react-query';
import { taskEventSchema } from '../../contract/schemas/studio-api.ts';
import { applyTaskChange } from './task-cache.ts';
import { taskKeys } from './task-queries.ts';

/**
 * The one `EventSource` on `/api/events` per QueryClient, however many components listen. Each `task`
 * event is folded into the TanStack cache; the stream's health decides whether queries poll.
 */
export type StreamState = 'connecting' | 'live' | 'down';

/** The subset of EventSource we use, so tests can drive a fake. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((this: EventSource, ev: Event) => unknown) | null;
  onerror: ((this: EventSource, ev: Event) => unknown) | null;
  addEventListener(type: 'task', listener: (ev: MessageEvent<string>) => void): void;
  close(): void;
}
export type EventSourceFactory = (url: string) => EventSourceLike;

const CLOSED = 2;
const RECONNECT_MIN_MS = 2000;
const RECONNECT_MAX_MS = 30_000;

export class TaskStream {
  private source: EventSourceLike | undefined;
  private state: StreamState = 'connecting';
  private readonly listeners = new Set<() => void>();
  private refs = 0;
  private everOpened = false;
  private retryMs = RECONNECT_MIN_MS;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly queryClient: QueryClient,
    private readonly url = '/api/events',
    private readonly factory: EventSourceFactory = (u) => new EventSource(u),
  ) {}

  getState = (): StreamState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Keeps the stream open while at least one holder has it; returns the release function. */
  retain(): () => void {
    if (this.refs++ === 0) this.open();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.refs === 0) this.close();
    };
  }

  private setState(next: StreamState) {
    if (next === this.state) return;
    this.state = next;
    for (const l of this.listeners) l();
  }

  private open() {
    let source: EventSourceLike;
    try {
      source = this.factory(this.url);
    } catch {
      // No EventSource here (an old browser, a test DOM): polling carries the updates.
      this.setState('down');
      return;
    }
    this.source = source;
    source.onopen = () => {
      // Events sent while we were disconnected are lost: refetch whatever is cached, once.
      if (this.everOpened) void this.queryClient.invalidateQueries({ queryKey: taskKeys.all });
      this.everOpened = true;
      this.retryMs = RECONNECT_MIN_MS;
      this.setState('live');
    };
    source.onerror = () => {
      this.setState('down');
      // The browser retries by itself unless the server refused the stream (readyState CLOSED),
      // e.g. a restart answering 502 in between; then we retry with backoff.
      if (source.readyState === CLOSED) {
        source.close();
        this.scheduleReconnect();
      }
    };
    source.addEventListener('task', (ev) => {
      const parsed = safeJson(ev.data);
      const event = taskEventSchema.safeParse(parsed);
      if (event.success) applyTaskChange(this.queryClient, event.data.task);
    });
  }

  private scheduleReconnect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.refs > 0) this.open();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
  }

  private close() {
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = undefined;
    this.setState('connecting');
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const streams = new WeakMap<QueryClient, TaskStream>();

/** The stream belonging to this QueryClient (created on first use, opened by `retain`). */
export function taskStreamFor(queryClient: QueryClient): TaskStream {
  let stream = streams.get(queryClient);
  if (!stream) {
    stream = new TaskStream(queryClient);
    streams.set(queryClient, stream);
  }
  return stream;
}
