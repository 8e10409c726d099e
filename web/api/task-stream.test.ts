import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { makeHistory, makeList, makeTask } from '../testing/task-fixture.ts';
import { normalizeListParams, type TaskHistory, taskKeys } from './task-queries.ts';
import { type EventSourceLike, TaskStream } from './task-stream.ts';

/** Stands in for EventSource: the test opens, fails and feeds it by hand. */
class FakeSource implements EventSourceLike {
  readyState = 0;
  onopen: EventSourceLike['onopen'] = null;
  onerror: EventSourceLike['onerror'] = null;
  closed = false;
  private readonly listeners: ((ev: MessageEvent<string>) => void)[] = [];
  addEventListener(_type: 'task', listener: (ev: MessageEvent<string>) => void) {
    this.listeners.push(listener);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.call(this as unknown as EventSource, new Event('open'));
  }
  fail(readyState: 0 | 2) {
    this.readyState = readyState;
    this.onerror?.call(this as unknown as EventSource, new Event('error'));
  }
  send(data: string) {
    for (const l of this.listeners) l(new MessageEvent('task', { data }));
  }
}

function setup() {
  const client = new QueryClient();
  const sources: FakeSource[] = [];
  const stream = new TaskStream(client, '/api/events', () => {
    const s = new FakeSource();
    sources.push(s);
    return s;
  });
  return { client, sources, stream };
}

describe('TaskStream', () => {
  it('opens one EventSource however many hold it, and closes it when the last lets go', () => {
    const { sources, stream } = setup();
    const releaseA = stream.retain();
    const releaseB = stream.retain();
    expect(sources).toHaveLength(1);
    releaseA();
    releaseA();
    expect(sources[0]?.closed).toBe(false);
    releaseB();
    expect(sources[0]?.closed).toBe(true);
  });

  it('folds task events into the cache: detail set, list row replaced in place', () => {
    const { client, sources, stream } = setup();
    const params = normalizeListParams({});
    client.setQueryData(taskKeys.list(params), makeHistory(makeList([makeTask({ status: 'submitted' })])));
    stream.retain();
    sources[0]?.open();
    const succeeded = makeTask({ status: 'succeed', updatedAt: 1_760_000_009_000 });
    sources[0]?.send(JSON.stringify({ task: succeeded }));
    expect(client.getQueryData(taskKeys.detail('task-1'))).toEqual(succeeded);
    expect(client.getQueryData<TaskHistory>(taskKeys.list(params))?.pages[0]?.tasks).toEqual([succeeded]);
  });

  it('ignores events that are not a task', () => {
    const { client, sources, stream } = setup();
    stream.retain();
    sources[0]?.send('not json');
    sources[0]?.send(JSON.stringify({ task: { id: 'half' } }));
    expect(client.getQueryCache().getAll()).toHaveLength(0);
  });

  it('reports its state, and refetches everything after a reconnect (events may have been missed)', () => {
    const { client, sources, stream } = setup();
    const states: string[] = [];
    stream.subscribe(() => states.push(stream.getState()));
    const invalidate = vi.spyOn(client, 'invalidateQueries');
    stream.retain();
    sources[0]?.open();
    expect(invalidate).not.toHaveBeenCalled();
    sources[0]?.fail(0); // the browser retries by itself
    sources[0]?.open();
    expect(states).toEqual(['live', 'down', 'live']);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: taskKeys.all });
  });

  it('reconnects with backoff when the server refused the stream', () => {
    vi.useFakeTimers();
    try {
      const { sources, stream } = setup();
      stream.retain();
      sources[0]?.fail(2);
      expect(stream.getState()).toBe('down');
      vi.advanceTimersByTime(1999);
      expect(sources).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(sources).toHaveLength(2);
      sources[1]?.fail(2);
      vi.advanceTimersByTime(3999);
      expect(sources).toHaveLength(2);
      vi.advanceTimersByTime(1);
      expect(sources).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('falls back to polling where EventSource does not exist', () => {
    const stream = new TaskStream(new QueryClient(), '/api/events', () => {
      throw new ReferenceError('EventSource is not defined');
    });
    stream.retain();
    expect(stream.getState()).toBe('down');
  });
});
