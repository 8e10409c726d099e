import type { QueueHead, WaitingTask } from '../tasks/task-store.ts';

/**
 * Which waiting task goes out next: first in, first out within a client, round-robin between clients, so
 * one creator's batch of 20 cannot starve another creator's single task. `lastServed` holds, per client,
 * the turn at which one of its tasks last went out (the store's, `QueueHead.served`); a client never
 * served counts as 0 and goes first, ties broken by whose head task is older.
 */
const key = (t: WaitingTask, lastServed: ReadonlyMap<string, number>) => lastServed.get(t.clientId) ?? 0;

/** A total order (a moved task's seq may equal another client's): served longer ago, older head, id. */
const before = (a: WaitingTask, b: WaitingTask, lastServed: ReadonlyMap<string, number>) => {
  const ka = key(a, lastServed);
  const kb = key(b, lastServed);
  if (ka !== kb) return ka < kb;
  return a.seq !== b.seq ? a.seq < b.seq : a.id < b.id;
};

/** The next task among each client's first waiting task. */
export function pickNext(
  heads: readonly WaitingTask[],
  lastServed: ReadonlyMap<string, number>,
): WaitingTask | undefined {
  let best: WaitingTask | undefined;
  for (const h of heads) if (!best || before(h, best, lastServed)) best = h;
  return best;
}

/**
 * A waiting task's place in the order the dispatcher will send them if nothing changes ("Queued · 3rd"),
 * from each client's count and first task alone. The clients take turns in a fixed rotation (the order of
 * `pickNext` over their first tasks: a client just served goes last), so before the `rank`-th task of its
 * client go `rank - 1` of its own and, of every other client, `rank` tasks if it turns before this one,
 * else `rank - 1` — each at most what that client has waiting. `dispatchOrder` is the long way round.
 */
export function placeInQueue(
  heads: readonly QueueHead[],
  lastServed: ReadonlyMap<string, number>,
  task: { clientId: string; rank: number },
): number | undefined {
  const mine = heads.find((h) => h.clientId === task.clientId);
  if (!mine || task.rank < 1 || task.rank > mine.count) return undefined;
  let place = task.rank;
  for (const h of heads)
    if (h !== mine) place += Math.min(h.count, before(h, mine, lastServed) ? task.rank : task.rank - 1);
  return place;
}

/**
 * Every waiting task in the order the dispatcher will send them if nothing changes, replayed one pick at a
 * time. `waiting` must be in queue order (seq ascending).
 */
export function dispatchOrder(
  waiting: readonly WaitingTask[],
  lastServed: ReadonlyMap<string, number>,
): WaitingTask[] {
  const queues = new Map<string, WaitingTask[]>();
  for (const t of waiting) {
    const q = queues.get(t.clientId);
    if (q) q.push(t);
    else queues.set(t.clientId, [t]);
  }
  const served = new Map(lastServed);
  let tick = Math.max(0, ...served.values());
  const next = new Map<string, number>([...queues.keys()].map((c) => [c, 0]));
  const out: WaitingTask[] = [];
  while (out.length < waiting.length) {
    const heads: WaitingTask[] = [];
    for (const [client, q] of queues) {
      const head = q[next.get(client)!];
      if (head) heads.push(head);
    }
    const chosen = pickNext(heads, served)!;
    out.push(chosen);
    next.set(chosen.clientId, next.get(chosen.clientId)! + 1);
    served.set(chosen.clientId, ++tick);
  }
  return out;
}
