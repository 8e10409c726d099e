import { describe, expect, it } from 'vitest';
import { manualClock } from '../lib/clock.ts';
import { StudioError } from '../lib/studio-error.ts';
import type { RecentCreates } from './task-store.ts';
import { createWalletGuard, type GuardCounts } from './wallet-guard.ts';

const refusal = async (fn: () => Promise<void> | void) => {
  try {
    await fn();
  } catch (e) {
    return e as StudioError;
  }
  return undefined;
};
const none: RecentCreates = { count: 0, oldest: null };
const counting = (n: () => number, recent: (peer: string) => RecentCreates = () => none): GuardCounts => ({
  countUnfinished: async () => n(),
  recentCreates: async (peer) => recent(peer),
});

describe('wallet guard', () => {
  it("limits creates per client per minute by the store's count of the client's creates in the window", async () => {
    const clock = manualClock(10_000);
    const guard = createWalletGuard({
      createsPerMinute: 2,
      maxRunningTasks: 0,
      counts: counting(() => 0),
      clock,
    });
    expect(guard.countsRecent).toBe(true);
    // The window is the last 60 s: a create 60 s old no longer counts.
    expect(guard.recentSince(clock.now())).toBe(10_000 - 59_999);
    expect(await refusal(() => guard.admit(1, { recent: { count: 1, oldest: 0 } }))).toBeUndefined();
    const e = await refusal(() => guard.admit(1, { recent: { count: 2, oldest: 0 } }));
    expect(e).toBeInstanceOf(StudioError);
    expect(e).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(e?.message).toBe(
      'You started 2 generations in the last minute (the limit is 2). Try again in 50 s.',
    );
    // A caller that forgot to count is told so, rather than let through as if nothing was created.
    expect(await refusal(() => guard.admit(1, {}))).toMatchObject({
      message: expect.stringMatching(/needs the recent creates/),
    });
  });

  it('limits tasks queued or running at once, a batch counted whole, by the count it is given', async () => {
    const guard = createWalletGuard({
      createsPerMinute: 0,
      maxRunningTasks: 3,
      counts: counting(() => 0),
      clock: manualClock(),
    });
    expect(guard.countsUnfinished).toBe(true);
    expect(guard.countsRecent).toBe(false);
    // admit judges by the figure it is handed (the transaction's count), not the store it was made with.
    expect(await refusal(() => guard.admit(1, { unfinished: 3 }))).toMatchObject({
      status: 429,
      code: 'too_many_running',
    });
    expect(await refusal(() => guard.admit(2, { unfinished: 2 }))).toMatchObject({
      status: 429,
      code: 'too_many_running',
    });
    expect(await refusal(() => guard.admit(1, { unfinished: 2 }))).toBeUndefined();
    expect(await refusal(() => guard.admit(1, {}))).toMatchObject({
      message: expect.stringMatching(/needs the unfinished count/),
    });
  });

  it('0 turns a limit off: nothing is counted', async () => {
    let counted = 0;
    const counts: GuardCounts = {
      countUnfinished: async () => {
        counted++;
        return 1e6;
      },
      recentCreates: async () => {
        counted++;
        return { count: 1e6, oldest: 0 };
      },
    };
    const guard = createWalletGuard({
      createsPerMinute: 0,
      maxRunningTasks: 0,
      counts,
      clock: manualClock(),
    });
    expect(guard.countsUnfinished).toBe(false);
    expect(guard.countsRecent).toBe(false);
    for (let i = 0; i < 100; i++) guard.admit(1, { unfinished: 1e6, recent: { count: 1e6, oldest: 0 } });
    for (let i = 0; i < 10; i++) await guard.check('a');
    expect(counted).toBe(0);
  });

  it('check() refuses as admit() would, by the asking peer’s own creates, recording nothing', async () => {
    let running = 0;
    const asked: [string][] = [];
    const guard = createWalletGuard({
      createsPerMinute: 2,
      maxRunningTasks: 1,
      counts: counting(
        () => running,
        (peer) => {
          asked.push([peer]);
          return peer === 'a' ? { count: 2, oldest: 0 } : none;
        },
      ),
      clock: manualClock(30_000),
    });
    expect(await refusal(() => guard.check('a'))).toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: expect.stringMatching(/Try again in 30 s/),
    });
    expect(await refusal(() => guard.check('b'))).toBeUndefined();
    running = 1;
    expect(await refusal(() => guard.check('b'))).toMatchObject({ status: 429, code: 'too_many_running' });
    expect(asked).toEqual([['a'], ['b'], ['b']]);
  });
});
