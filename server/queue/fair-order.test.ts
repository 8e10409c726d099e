import { describe, expect, it } from 'vitest';
import type { QueueHead, WaitingTask } from '../tasks/task-store.ts';
import { dispatchOrder, pickNext, placeInQueue } from './fair-order.ts';

let seq = 0;
const task = (clientId: string, id = `${clientId}${++seq}`): WaitingTask => ({ id, clientId, seq });
const ids = (tasks: WaitingTask[]) => tasks.map((t) => t.id);

describe('fair order', () => {
  it('one client: first in, first out', () => {
    seq = 0;
    const q = [task('a'), task('a'), task('a')];
    expect(ids(dispatchOrder(q, new Map()))).toEqual(['a1', 'a2', 'a3']);
  });

  it('a batch of 20 does not starve a single task queued after it: round-robin between clients', () => {
    seq = 0;
    const batch = Array.from({ length: 20 }, () => task('a'));
    const single = task('b');
    const order = ids(dispatchOrder([...batch, single], new Map()));
    expect(order.slice(0, 3)).toEqual(['a1', 'b21', 'a2']);
    expect(order).toHaveLength(21);
  });

  it('takes turns from what was served last: a client just served waits for the others', () => {
    seq = 0;
    const q = [task('a'), task('a'), task('b'), task('c')];
    // a went out a moment ago (tick 5), b long ago (tick 1), c never: c, then b, then a.
    const served = new Map([
      ['a', 5],
      ['b', 1],
    ]);
    expect(ids(dispatchOrder(q, served))).toEqual(['c4', 'b3', 'a1', 'a2']);
    expect(pickNext([q[0]!, q[2]!, q[3]!], served)?.id).toBe('c4');
  });

  it('ties between clients never served go to the older head task; nothing waiting, nothing picked', () => {
    seq = 0;
    const a = task('a');
    const b = task('b');
    expect(pickNext([b, a], new Map())?.id).toBe(a.id);
    expect(pickNext([], new Map())).toBeUndefined();
  });

  it('a task moved to the front of its client’s queue (a smaller seq) goes first of that client', () => {
    const q: WaitingTask[] = [
      { id: 'moved', clientId: 'a', seq: -1 },
      { id: 'a-first', clientId: 'a', seq: 1 },
      { id: 'b-first', clientId: 'b', seq: 2 },
    ];
    expect(ids(dispatchOrder(q, new Map()))).toEqual(['moved', 'b-first', 'a-first']);
  });

  it('a task’s place from the counts alone is its index in the replayed order (random queues)', () => {
    let state = 7;
    const rand = (n: number) => {
      state = (state * 48271) % 2147483647;
      return state % n;
    };
    for (let round = 0; round < 300; round++) {
      const clients = ['a', 'b', 'c', 'd'].slice(0, 1 + rand(4));
      const waiting: WaitingTask[] = Array.from({ length: 1 + rand(25) }, (_, i) => ({
        id: `t${i}`,
        clientId: clients[rand(clients.length)]!,
        seq: i - rand(3) * 10,
      })).sort((x, y) => x.seq - y.seq || Number(x.id.slice(1)) - Number(y.id.slice(1)));
      const served = new Map(clients.filter(() => rand(2)).map((c) => [c, 1 + rand(9)] as const));
      const order = dispatchOrder(waiting, served);
      const heads: QueueHead[] = clients.flatMap((c) => {
        const mine = waiting.filter((t) => t.clientId === c);
        return mine.length ? [{ ...mine[0]!, count: mine.length, served: served.get(c) ?? 0 }] : [];
      });
      for (const t of waiting) {
        const rank = waiting.filter((x) => x.clientId === t.clientId).indexOf(t) + 1;
        expect(placeInQueue(heads, served, { clientId: t.clientId, rank })).toBe(order.indexOf(t) + 1);
      }
    }
  });
});
