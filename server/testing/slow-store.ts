import type { TaskStore } from '../tasks/task-store.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Test support: the store with a network between it and the studio. Every call waits `ms` on a timer
 * before it runs and again (`answerMs`) before its answer comes back, as a query to PostgreSQL does, so other work
 * (an HTTP answer from Kling, a create) runs in between, as it does on a real database. SQLite answers
 * without yielding to the event loop, which hides races that a round trip shows.
 */
export function slowStore(
  store: TaskStore,
  ms = 2,
  opts: {
    /** Only these calls are slow (default all): a slow count query beside fast writes, say. */
    only?: readonly (keyof TaskStore)[];
    /** The wait before the answer comes back (default `ms`): 0 answers a query as soon as it ran. */
    answerMs?: number;
  } = {},
): TaskStore {
  const { only, answerMs = ms } = opts;
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || key === 'close') return value;
      if (only && !only.includes(key as keyof TaskStore)) return value;
      return async (...args: unknown[]) => {
        await sleep(ms);
        const result = await (value as (...a: unknown[]) => unknown).apply(target, args);
        if (answerMs > 0) await sleep(answerMs);
        return result;
      };
    },
  });
}
